import Foundation
import Testing

@testable import FakelabAPI

@Suite struct CatalogTests {
    let catalog = try! Catalog.builtIn()

    @Test(arguments: [
        "gpt-image-2", "nano-banana", "nano-banana-2", "nano-banana-pro", "nano-banana-edit", "gemini-2.5-flash-image",
        "gemini-3.1-flash-image", "gemini-3-pro-image", "grok-imagine-image", "grok-imagine-image-quality",
        "grok-imagine-image-pro", "flux-pro", "qwen-image-plus", "ideogram-v3", "dall-e-2",
        "gemini-3.1-flash-image-preview", "gemini-3-pro-image-preview",
    ])
    func everyImageModelOfTheNotesIsThere(id: String) throws {
        let model = try #require(catalog.model(id))
        #expect(!model.operations.isEmpty)
    }

    @Test func aliasesResolveToTheirTarget() throws {
        let pro = try #require(catalog.model("grok-imagine-image-pro"))
        let quality = try #require(catalog.model("grok-imagine-image-quality"))
        #expect(pro.id == "grok-imagine-image-pro")
        #expect(pro.lifecycle.stage == "deprecated")
        #expect(pro.supportedParameters == quality.supportedParameters)
        #expect(catalog.model("gemini-3-pro-image-preview")?.id == "gemini-3-pro-image")
    }

    @Test func gptImage2ContractMatchesTheNotes() throws {
        let gpt = try #require(catalog.model("gpt-image-2"))
        #expect(gpt.statusMode == .inlineOrTask)
        #expect(gpt.asyncHonoured)
        #expect(gpt.operation(.textToImage)?.endpoint == .generations)
        #expect(gpt.operation(.imageEdit)?.endpoint == .edits)
        #expect(gpt.operation(.textToImage)?.parameters["background"]?.enum == ["auto", "opaque"])
        #expect(gpt.operation(.textToImage)?.parameters["aspect_ratio"] == nil)
        #expect(gpt.operation(.imageEdit)?.maxImages == 16)
        #expect(catalog.model("grok-imagine-image")?.operation(.imageEdit)?.maxImages == 3)
    }

    @Test func suggestionsFindCloseIDs() {
        #expect(catalog.suggestions(for: "gpt-image-3").first == "gpt-image-2")
        #expect(catalog.suggestions(for: "nano-bananna").first == "nano-banana")
        #expect(catalog.suggestions(for: "completely-unrelated-thing").isEmpty)
    }

    @Test func aUserCatalogFileLoadsInTheSameFormat() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources/FakelabAPI/Resources/catalog.json"
        )
        var file = try JSONDecoder().decode(CatalogFile.self, from: Data(contentsOf: url))
        file.models = file.models.filter { $0.id == "gpt-image-2" }
        file.models[0].id = "my-model"
        let custom = try Catalog(file: file)
        #expect(custom.models.map(\.id) == ["my-model"])
        #expect(custom.model("gpt-image-2") == nil)
    }

    @Test func brokenCatalogsAreRefusedWithAReason() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-catalog-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("bad.json")
        try Data(#"{"format":"fakelab-catalog/1","models":[]}"#.utf8).write(to: bad)
        #expect { try Catalog.load(contentsOf: bad) } throws: { "\($0)".contains("not a fakelab-catalog/1 document") }
        #expect { try Catalog.load(contentsOf: dir.appendingPathComponent("missing.json")) } throws: { "\($0)".contains("cannot read catalog") }
        #expect(throws: CatalogError.invalid) { try Catalog.load(contentsOf: bad) }
        #expect(throws: CatalogError.unreadable) { try Catalog.load(contentsOf: dir.appendingPathComponent("missing.json")) }
    }

    @Test func aModelErrorNamesTheFileTheModelAndTheField() throws {
        var file = try Catalog.builtIn().file
        file.models[0].taskPolicy = "sometimes"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fakelab-catalog-\(UUID()).json")
        try JSONEncoder().encode(file).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = #expect(throws: CatalogError.invalidModel) { try Catalog.load(contentsOf: url) }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("catalog \(url.path): "), "\(text)")
        #expect(text.contains("'\(file.models[0].id)'") && text.contains("task_policy 'sometimes'"), "\(text)")
        // Parsed once, at load: the contract holds the policy, not its text.
        file.models[0].taskPolicy = "polls:2,3"
        #expect(try Catalog(file: file).models[0].taskPolicy == TaskPolicy(.polls(pending: 2, processing: 3)))
    }

    @Test func catalogErrorsTellTheirKindsApart() throws {
        var file = try Catalog.builtIn().file
        file.models.append(file.models[0])
        let duplicate = #expect(throws: CatalogError.duplicateModel) { try Catalog(file: file) }
        #expect(duplicate?.description == "model id or alias '\(file.models[0].id)' appears twice in the catalog")
        file.models.removeLast()
        file.models[0].taskPolicy = "sometimes"
        #expect(throws: CatalogError.invalidModel) { try Catalog(file: file) }
        #expect(CatalogError.duplicateModel != .invalidModel)
    }
}

@Suite struct FaultParseErrorTests {
    @Test func kindsNameWhatIsWrong() {
        #expect(throws: FaultParseError.unknownFault) { try FaultSpec(parsing: "rate_limitd") }
        #expect(throws: FaultParseError.invalidParameter) { try FaultSpec(parsing: "delay; ms") }
        #expect(throws: FaultParseError.invalidParameter) { try FaultSpec(parsing: "delay; ms=-1") }
        #expect(throws: FaultParseError.invalidRule) { try FaultRule(json: ["fault": "delay", "route": "v1"]) }
        #expect(throws: FaultParseError.unknownFault) { try FaultRule(json: ["fault": "nope"]) }
        let missing = URL(fileURLWithPath: "/nonexistent/faults.json")
        #expect(throws: FaultParseError.unreadableFile) { try FaultRule.load(contentsOf: missing) }
    }

    @Test func messagesAreUnchanged() {
        let error = #expect(throws: FaultParseError.self) { try FaultSpec(parsing: "delay; ms=-1") }
        #expect(error?.description == "ms=-1 must be a number from 0 to 600000")
    }
}
