import Testing

@testable import FakelabAPI

@Suite struct ModelPresenterTests {
    let catalog = try! Catalog.builtIn()
    var presenter: ModelPresenter { ModelPresenter(catalog: catalog) }

    @Test func detailPublishesTheContractUnderBothSpellings() throws {
        let detail = presenter.detail(try #require(catalog.model("gpt-image-2")))
        let ext = try #require(detail["tokenlab"])
        #expect(ext["public_contract"] == ext["request_format_details"])
        #expect(ext["public_contract_summary"] == ext["request_format_summary"])
        let params = try #require(ext["public_contract"]?["supported_parameters"]?.arrayValue).compactMap(\.stringValue)
        #expect(params == catalog.model("gpt-image-2")!.supportedParameters)
        #expect(ext["public_contract"]?["request_endpoint_by_operation"]?["image-edit"] == "/v1/images/edits")
        #expect(ext["public_contract"]?["status_mode"] == "inline_or_task")
    }

    @Test func recommendedForImageAddsAgentPreferencesInRankOrder() throws {
        let models = presenter.listed(recommendedFor: "image")
        #expect(models.first?.id == "gpt-image-2")
        #expect(!models.contains { $0.id == "dall-e-2" })
        let list = presenter.list(models, view: .full, recommendedFor: "image")
        let first = try #require(list["data"]?.arrayValue?.first)
        #expect(first["tokenlab"]?["agent_preferences"]?["image"]?["preferred_rank"] == 1)
        #expect(presenter.listed(recommendedFor: "video").isEmpty)
    }

    @Test func compactViewCountsItsItems() {
        let list = presenter.list(catalog.models, view: .compact, recommendedFor: nil)
        #expect(list["count"] == .int(catalog.models.count))
        #expect(list["view"] == "compact")
    }
}
