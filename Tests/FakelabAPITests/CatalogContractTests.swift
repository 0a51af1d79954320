import Foundation
import Testing

@testable import FakelabAPI

/// The catalog fields of issue 14: prices, delivery tiers, poll paths, derivations, `contract_of`.
@Suite struct CatalogContractTests {
    let catalog = try! Catalog.builtIn()

    static func file(editing edit: (inout ModelEntry) -> Void) throws -> CatalogFile {
        var file = try Catalog.builtIn().file
        file.models = file.models.filter { $0.id == "gpt-image-2" }
        edit(&file.models[0])
        return file
    }

    @Test func pollPathDefaultsToTasksAndIsExposed() throws {
        let gpt = try #require(catalog.model("gpt-image-2"))
        #expect(gpt.pollPath == "/v1/tasks/{id}")
        #expect(gpt.pollURL(taskID: "ldtask_ab") == "/v1/tasks/ldtask_ab")
        let ideogram = try #require(catalog.model("ideogram-edit-v3"))
        #expect(ideogram.pollPath == "/v1/images/generations/{id}")
        #expect(ideogram.pollURL(taskID: "ldtask_ab") == "/v1/images/generations/ldtask_ab")
        var file = try Self.file { $0.pollPath = nil }
        #expect(try Catalog(file: file).model("gpt-image-2")?.pollPath == "/v1/tasks/{id}")
        file = try Self.file { $0.pollPath = "/v1/poll/{id}" }
        #expect { try Catalog(file: file) } throws: { "\($0)".contains("poll_path '/v1/poll/{id}'") }
    }

    @Test func pricesAreDecimalStrings() throws {
        #expect(
            catalog.model("gpt-image-2")?.pricing
                == PricingSpec(
                    unit: "per_token",
                    inputPer1MTokens: "3.5",
                    outputPer1MTokens: "21",
                    source: "tokenlab-docs @0381875e models/openai.mdx: input $3.5 and output $21 per 1M tokens"
                )
        )
        #expect(catalog.model("nano-banana")?.pricing.perRequest == "0.0195")
        for model in catalog.models { #expect(model.pricing.problem() == nil, "\(model.id)") }
        var file = try Self.file { $0.pricing = PricingSpec(unit: "per_request", perRequest: "0,04") }
        #expect { try Catalog(file: file) } throws: { "\($0)".contains("not a decimal string") }
        file = try Self.file { $0.pricing = PricingSpec(unit: "per_token", inputPer1MTokens: "1") }
        #expect { try Catalog(file: file) } throws: { "\($0)".contains("output_per_1m_tokens is required") }
        file = try Self.file {
            $0.pricing = nil
            $0.pricePerImageUSD = 0.0195
        }
        #expect(try Catalog(file: file).model("gpt-image-2")?.pricing.perRequest == "0.0195", "a legacy catalog's float price")
    }

    @Test func contractOfCopiesTheContractNotTheModel() throws {
        let flare = try #require(catalog.model("gpt-image-2.5-flare"))
        let gpt = try #require(catalog.model("gpt-image-2"))
        #expect(flare.id == "gpt-image-2.5-flare")
        #expect(flare.supportedParameters == gpt.supportedParameters)
        #expect(flare.statusMode == gpt.statusMode && flare.asyncHonoured)
        #expect(flare.dimensions == gpt.dimensions)
        #expect(flare.aliases.isEmpty)
        #expect(flare.notes.last == "Request contract of gpt-image-2.")
        let lite = try #require(catalog.model("gemini-3.1-flash-lite-image"))
        #expect(lite.aliases.isEmpty, "the preview alias stays with gemini-3.1-flash-image")
        #expect(catalog.model("gemini-3.1-flash-image-preview")?.id == "gemini-3.1-flash-image")
    }

    @Test func deliveryAvailabilityIsReadPerOperation() throws {
        let lite = try #require(catalog.model("nano-banana-2-lite")?.deliveryAvailability)
        #expect(lite.serves("official"))
        #expect(lite.serves("official", operation: .textToImage))
        #expect(!lite.serves("official", operation: .imageToImage))
        #expect(lite.serves("verified", operation: .imageToImage))
        #expect(lite.serves("auto", operation: .imageToImage))
        let remover = try #require(catalog.model("image-background-remover")?.deliveryAvailability)
        #expect(!remover.serves("official") && remover.serves("verified"))
        for model in catalog.models { #expect(model.deliveryAvailability != nil, "\(model.id)") }
    }

    @Test func utilityModelsDeriveFromTheirInput() throws {
        let remover = try #require(catalog.model("image-background-remover"))
        #expect(remover.derivation == .removeBackground)
        #expect(remover.dimensions.size(forInput: 300, 200) == (300, 200))
        #expect(remover.outputFormats == ["png"])
        let upscaler = try #require(catalog.model("image-upscaler"))
        #expect(upscaler.derivation == .upscale)
        #expect(upscaler.dimensions.size(forInput: 300, 200) == (600, 400))
        #expect(upscaler.operation(.imageEdit)?.parameters["scale"] == nil, "no scale parameter: the notes document none")
        #expect(catalog.model("gpt-image-2")?.derivation == .recolour)
        #expect(catalog.model("ideogram-edit-v3")?.operations.map(\.endpoint) == [.edits])
    }

    @Test func removedParametersAndTheNanoBananaNote() throws {
        #expect(Set(catalog.file.removedParameters?.keys ?? [:].keys) == ["partial_images", "input_fidelity"])
        #expect(catalog.file.parameters["partial_images"] == nil)
        #expect(catalog.model("gpt-image-2")?.ignoredParameters.isEmpty == true)
        let nano = try #require(catalog.model("nano-banana"))
        #expect(nano.operation(.imageToImage)?.endpoint == .generations, "kept as the seed guide shows it")
        #expect(nano.notes.contains { $0.contains("nano-banana-2") && $0.contains("nano-banana-edit") && $0.contains("nano-banana-pro") })
    }
}
