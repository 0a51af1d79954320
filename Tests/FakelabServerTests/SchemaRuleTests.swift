import FakelabAPI
import FakelabTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// Issue 14's schema rules: closed list items, both contract spellings on the detail, billing
/// ids in TokenLab's shape, removed fields refused, `stream:false` accepted, sync answers that
/// no client would mistake for a task.
@Suite struct SchemaRuleTests {
    /// Property names of a schema of the published OpenAPI (../shared beside the repo), or the
    /// copy below when the file is not there.
    static func published(_ schema: String) -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/tokenlab/openapi.images.2026-09.json")
        if let data = try? Data(contentsOf: url), let doc = try? JSONValue.parse(Array(data)),
            let props = doc["components"]?["schemas"]?[schema]?["properties"]?.objectValue
        {
            return Set(props.keys)
        }
        return fallback[schema] ?? []
    }

    static let fallback: [String: Set<String>] = [
        "ModelListItem": ["id", "object", "created", "owned_by", "tokenlab"],
        "ModelListTokenLabExtension": [
            "aliases", "deliveryAvailability", "pricing", "capabilities", "providers", "max_input_tokens", "max_output_tokens", "category",
            "pricing_unit", "cache_pricing", "has_complex_pricing", "pricing_summary", "agent_preferences", "lifecycle", "commercial", "badges",
            "request_format_summary",
        ],
        "ModelListRequestFormatSummary": ["public_operations", "request_endpoint", "request_endpoint_by_operation"],
        "CompactModelListItem": [
            "id", "deliveryAvailability", "provider", "category", "capabilities", "max_input_tokens", "max_output_tokens", "pricing", "status",
            "latest", "supported_operations", "request_endpoint", "recommendation",
        ],
    ]

    @Test(arguments: ["", "?recommended_for=image"])
    func listItemsHoldOnlyPublishedKeys(query: String) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/v1/models\(query)", key: nil)
            let items = try #require(r.json["data"]?.arrayValue)
            #expect(!items.isEmpty)
            for item in items {
                let id = item["id"]?.stringValue ?? "?"
                let keys = Set(item.objectValue?.keys ?? [:].keys)
                #expect(keys == Self.published("ModelListItem"), "\(id): \(keys)")
                #expect(item["created"]?.intValue != nil, "\(id) has created")
                let ext = try #require(item["tokenlab"]?.objectValue)
                #expect(Set(ext.keys).isSubset(of: Self.published("ModelListTokenLabExtension")), "\(id): \(Set(ext.keys))")
                #expect(ext["public_contract_summary"] == nil && ext["lemondata"] == nil)
                let summary = try #require(ext["request_format_summary"]?.objectValue)
                #expect(Set(summary.keys).isSubset(of: Self.published("ModelListRequestFormatSummary")))
                let delivery = try #require(ext["deliveryAvailability"]?.objectValue, "\(id) has deliveryAvailability")
                #expect(delivery["verified"]?.boolValue != nil && delivery["official"]?.boolValue != nil)
            }
        }
    }

    @Test func compactItemsHoldOnlyPublishedKeys() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/v1/models?view=compact&recommended_for=image", key: nil)
            for item in try #require(r.json["data"]?.arrayValue) {
                let keys = Set(item.objectValue?.keys ?? [:].keys)
                #expect(keys.isSubset(of: Self.published("CompactModelListItem")), "\(keys)")
                let pricing = Set(item["pricing"]?.objectValue?.keys ?? [:].keys)
                let allowed: Set<String> = [
                    "unit", "currency", "input_per_1m", "output_per_1m", "per_request", "min_price", "max_price", "has_complex_pricing",
                ]
                #expect(pricing.isSubset(of: allowed) && pricing.isSuperset(of: ["unit", "currency", "has_complex_pricing"]))
            }
            let lite = try #require(r.json["data"]?.arrayValue?.first { $0["id"] == "nano-banana-2-lite" })
            #expect(lite["deliveryAvailability"]?["operations"]?["image-to-image"] == ["verified": true, "official": false])
        }
    }

    @Test func detailKeepsBothSpellingsDeliveryAndPollPath() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/v1/models/ideogram-edit-v3", key: nil)
            #expect(r.json["created"]?.intValue != nil)
            let ext = try #require(r.json["tokenlab"])
            #expect(ext["public_contract"] == ext["request_format_details"])
            #expect(ext["public_contract_summary"] == ext["request_format_summary"])
            #expect(ext["request_format_details"]?["poll_path"] == "/v1/images/generations/{id}")
            #expect(ext["deliveryAvailability"] == ["verified": true, "official": false])
            #expect(ext["pricing"]?["per_request"] == "0.06")
            let gpt = try await client.get("/v1/models/gpt-image-2", key: nil)
            #expect(gpt.json["tokenlab"]?["request_format_details"]?["poll_path"] == "/v1/tasks/{id}")
            #expect(gpt.json["tokenlab"]?["pricing"]?["input_per_1m"] == "3.5")
        }
    }

    static func isBillingID(_ s: String?) -> Bool {
        guard let s, s.count == 25, s.first == "c" else { return false }
        return s.utf8.dropFirst().allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 122) }
    }

    @Test func billingIDsHaveTokenLabsShapeAndAreSeeded() async throws {
        func billingID(seed: UInt64) async throws -> String {
            try await testApplication(try testConfiguration(seed: seed)).test(.router) { client in
                let r = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2", "prompt": "a cup"])
                let id = r.json["billing_transaction_id"]?.stringValue
                #expect(Self.isBillingID(id), "\(id ?? "nil")")
                #expect(r.headers[.init("X-Billing-Transaction-ID")!] == id)
                return id ?? ""
            }
        }
        let first = try await billingID(seed: 42)
        #expect(try await billingID(seed: 42) == first, "same seed, same billing id")
        #expect(try await billingID(seed: 43) != first)
    }

    @Test(arguments: ["partial_images", "input_fidelity"])
    func removedFieldsAreUnsupported(field: String) async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let value: JSONValue = field == "partial_images" ? 2 : "high"
            for model in ["gpt-image-2", "gpt-image-2.5-flare", "nano-banana"] {
                let r = try await client.postJSON("/v1/images/generations", ["model": .string(model), "prompt": "x", field: value])
                #expect(r.status == 400)
                #expect(r.error?["type"] == "invalid_request_error")
                #expect(r.error?["code"] == "unsupported_parameter")
                #expect(r.error?["param"] == .string(field))
                #expect(r.error?["message"]?.stringValue?.contains("2026-07-11") == true)
            }
            let form = try await client.postForm(
                "/v1/images/edits",
                [
                    .text("model", "gpt-image-2"), .text("prompt", "x"), .text(field, "1"),
                    .file("image", "a.png", DerivedImageTests.solid(8, 8, (1, 2, 3))),
                ]
            )
            #expect(form.status == 400 && form.error?["code"] == "unsupported_parameter" && form.error?["param"] == .string(field))
        }
    }

    @Test func streamFalseStaysAccepted() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let json = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2", "prompt": "x", "stream": false])
            #expect(json.status == 200)
            let form = try await client.postForm(
                "/v1/images/edits",
                [
                    .text("model", "gpt-image-2"), .text("prompt", "x"), .text("stream", "false"),
                    .file("image", "a.png", DerivedImageTests.solid(8, 8, (1, 2, 3))),
                ]
            )
            #expect(form.status == 200)
            let streaming = try await client.postJSON("/v1/images/generations", ["model": "gpt-image-2", "prompt": "x", "stream": true])
            #expect(streaming.status == 400 && streaming.error?["param"] == "stream")
        }
    }

    @Test func syncAnswersCarryNoTaskFields() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let png = DerivedImageTests.solid(16, 16, (9, 9, 9))
            var answers: [FakeResponse] = []
            for model in [
                "gpt-image-2", "gpt-image-2.5-sunburst", "nano-banana", "gemini-3.1-flash-lite-image", "grok-imagine-image-2.0", "dall-e-2",
            ] {
                let path = model == "dall-e-2" ? "/v1/images/variations" : "/v1/images/generations"
                if model == "dall-e-2" {
                    answers.append(try await client.postForm(path, [.text("model", model), .file("image", "a.png", png)]))
                } else {
                    answers.append(try await client.postJSON(path, ["model": .string(model), "prompt": "x", "response_format": "b64_json"]))
                }
            }
            for model in ["image-background-remover", "image-upscaler", "gpt-image-2"] {
                answers.append(
                    try await client.postForm("/v1/images/edits", [.text("model", model), .text("prompt", "x"), .file("image", "a.png", png)])
                )
            }
            for r in answers {
                #expect(r.status == 200, "\(r.json)")
                #expect(r.json["data"]?.arrayValue?.isEmpty == false)
                for key in ["id", "task_id", "status", "poll_url"] { #expect(r.json[key] == nil, "sync answer carries \(key)") }
                #expect(r.headers[.init("X-Task-ID")!] == nil)
            }
        }
    }
}
