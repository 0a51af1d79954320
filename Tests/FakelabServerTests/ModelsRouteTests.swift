import FakelabAPI
import FakelabTestSupport
import HummingbirdTesting
import Testing

@Suite struct ModelsRouteTests {
    @Test func listNeedsNoKeyAndHasEveryModel() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/v1/models", key: nil)
            #expect(r.status == 200)
            #expect(r.json["object"] == "list")
            let ids = r.json["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.contains("gpt-image-2") && ids.contains("dall-e-2") && ids.contains("grok-imagine-image-pro"))
            let first = try #require(r.json["data"]?.arrayValue?.first)
            #expect(first["tokenlab"]?["request_format_summary"] != nil)
            #expect(first["tokenlab"]?["public_contract_summary"] == nil, "list items are closed objects (issue 14)")
            #expect(first["tokenlab"]?["agent_preferences"] == nil)
        }
    }

    @Test func recommendedForImageAndCompactView() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/v1/models?recommended_for=image&view=compact", key: nil)
            #expect(r.json["view"] == "compact")
            #expect(r.json["count"]?.intValue == r.json["data"]?.arrayValue?.count)
            #expect(r.json["data"]?.arrayValue?.first?["recommendation"]?["preferred_rank"] == 1)
            let full = try await client.get("/v1/models?recommended_for=image", key: nil)
            #expect(full.json["data"]?.arrayValue?.first?["tokenlab"]?["agent_preferences"]?["image"]?["status"] == "ready")
            let bad = try await client.get("/v1/models?view=tiny", key: nil)
            #expect(bad.status == 400 && bad.error?["param"] == "view")
            let badCategory = try await client.get("/v1/models?category=AAA", key: nil)
            #expect(badCategory.status == 400 && badCategory.error?["param"] == "category")
            #expect(try await client.get("/v1/models?category=image", key: nil).json["data"]?.arrayValue?.isEmpty == false)
        }
    }

    @Test func detailCarriesTheContractUnderBothSpellings() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/v1/models/nano-banana-edit", key: nil)
            let ext = try #require(r.json["tokenlab"])
            #expect(ext["public_contract"] == ext["request_format_details"])
            #expect(ext["public_contract"]?["public_operations"] == ["image-to-image"])
            #expect(ext["accepted_request_formats"] == [])
        }
    }

    @Test func unknownModelIs404ModelNotFound() async throws {
        try await testApplication(try testConfiguration()).test(.router) { client in
            let r = try await client.get("/v1/models/gpt-image-9", key: nil)
            #expect(r.status == 404)
            #expect(r.error?["code"] == "model_not_found")
            #expect(r.error?["type"] == "invalid_request_error")
        }
    }
}
