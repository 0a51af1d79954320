import FakelabAPI
import FakelabTestSupport
import HummingbirdTesting
import Testing

/// Pricing and discovery: `/v1/pricing`, `/v1/models/{model}/pricing`, `/models.json`,
/// `/pricing.json`, `/llms.txt`, all without a key.
@Suite struct PricingTests {
    static func isDecimal(_ value: JSONValue?) -> Bool {
        guard let s = value?.stringValue, !s.isEmpty else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).count <= 2
            && s.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber }
    }

    static func entries(_ r: FakeResponse) -> [String: JSONValue] {
        Dictionary((r.json["data"]?.arrayValue ?? []).map { ($0["model"]?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func pricingListsEveryModelWithDecimalStrings() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/v1/pricing", key: nil)
            #expect(r.status == 200)
            #expect(r.json["object"] == "pricing")
            #expect(r.json["currency"] == "USD")
            #expect(r.json["updated_at"] == "2026-09-25T00:00:00Z")
            let catalog = try Catalog.builtIn()
            let entries = Self.entries(r)
            #expect(Set(entries.keys) == Set(catalog.models.map(\.id)))
            for (id, entry) in entries {
                for key in ["model", "provider", "is_lock_price", "capabilities", "aliases"] {
                    #expect(entry[key] != nil, "\(id) lacks \(key)")
                }
                if entry["is_lock_price"] == true {
                    #expect(Self.isDecimal(entry["lock_price_per_request"]), "\(id)")
                    #expect(entry["input_per_1m_tokens"] == .null)
                } else {
                    #expect(Self.isDecimal(entry["input_per_1m_tokens"]) && Self.isDecimal(entry["output_per_1m_tokens"]), "\(id)")
                    #expect(entry["lock_price_per_request"] == .null)
                }
            }
            #expect(entries["gpt-image-2"]?["input_per_1m_tokens"] == "3.5")
            #expect(entries["gpt-image-2"]?["output_per_1m_tokens"] == "21")
            #expect(entries["gpt-image-2.5-flare"]?["output_per_1m_tokens"] == "21")
            #expect(entries["nano-banana"]?["lock_price_per_request"] == "0.0195")
            #expect(entries["nano-banana"]?["is_lock_price"] == true)
        }
    }

    @Test func pricingFiltersByProviderAndTag() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let openai = Self.entries(try await client.get("/v1/pricing?provider=openai", key: nil))
            #expect(Set(openai.keys) == ["gpt-image-2", "gpt-image-2.5-flare", "gpt-image-2.5-sunburst", "dall-e-2"])
            let utility = Self.entries(try await client.get("/v1/pricing?tag=utility", key: nil))
            #expect(Set(utility.keys) == ["image-background-remover", "image-upscaler"])
            let edits = Self.entries(try await client.get("/v1/pricing?tag=image-edit", key: nil))
            #expect(edits["gpt-image-2"] != nil && edits["nano-banana"] == nil)
            let both = Self.entries(try await client.get("/v1/pricing?provider=xai&tag=image-edit", key: nil))
            #expect(Set(both.keys) == ["grok-imagine-image", "grok-imagine-image-2.0", "grok-imagine-image-quality", "grok-imagine-image-pro"])
            let none = try await client.get("/v1/pricing?provider=nobody", key: nil)
            #expect(none.status == 200 && none.json["data"] == [])
        }
    }

    @Test func modelPricingAnswersTheModelOr404() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/v1/models/gpt-image-2/pricing", key: nil)
            #expect(r.status == 200)
            #expect(r.json["model"] == "gpt-image-2")
            #expect(r.json["pricing_unit"] == "per_token")
            #expect(r.json["has_complex_pricing"] == false)
            #expect(r.json["supported_operations"] == ["text-to-image", "image-edit"])
            #expect(r.json["scalar_pricing"]?["input_per_1m_tokens"] == "3.5")
            #expect(r.json["pricing_details"]?["operations"]?["image-edit"]?["output_per_1m_tokens"] == "21")
            #expect(r.json["pricing_summary"]?["currency"] == "USD")
            #expect(r.json["pricing_provenance"]?["source"] == "fakelab-catalog")
            let upscaler = try await client.get("/v1/models/image-upscaler/pricing", key: nil)
            #expect(upscaler.json["scalar_pricing"]?["per_request"] == "0.02")
            let missing = try await client.get("/v1/models/gpt-image-9/pricing", key: nil)
            #expect(missing.status == 404)
            #expect(missing.error?["type"] == "invalid_request_error")
            #expect(missing.error?["code"] == "model_not_found")
            #expect(missing.error?["param"] == nil)
            #expect(missing.error?["did_you_mean"] == "gpt-image-2")
        }
    }

    @Test func rootDiscoveryFilesMatchTheV1Routes() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            #expect(try await client.get("/models.json", key: nil).json == (try await client.get("/v1/models", key: nil).json))
            let compact = try await client.get("/models.json?view=compact", key: nil)
            #expect(compact.json["view"] == "compact")
            #expect(try await client.get("/pricing.json", key: nil).json == (try await client.get("/v1/pricing", key: nil).json))
            #expect(
                try await client.get("/pricing.json?provider=google", key: nil).json
                    == (try await client.get("/v1/pricing?provider=google", key: nil).json)
            )
        }
    }

    @Test func llmsTxtListsTheRoutesAndModels() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/llms.txt", key: nil)
            #expect(r.status == 200)
            #expect(r.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(decoding: r.bytes, as: UTF8.self)
            for route in ["/v1/images/generations", "/v1/images/edits", "/v1/tasks/{id}", "/v1/pricing", "/v1/files/{file_id}/content"] {
                #expect(text.contains(route), "\(route)")
            }
            for model in try Catalog.builtIn().models { #expect(text.contains("- \(model.id) ("), "\(model.id)") }
        }
    }
}
