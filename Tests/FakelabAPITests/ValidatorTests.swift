import Testing

@testable import FakelabAPI

/// Each rule of the contract, as TokenLab states it (docs/tokenlab.md §3.1, §7.2).
@Suite struct ValidatorTests {
    let validator = Validator(catalog: try! Catalog.builtIn())

    func json(_ fields: [String: JSONValue], _ endpoint: Endpoint = .generations) -> Result<ValidatedImageRequest, ValidationFailure> {
        validator.validate(ImageRequest(endpoint: endpoint, encoding: .json, fields: fields))
    }

    func failure(_ fields: [String: JSONValue], _ endpoint: Endpoint = .generations) -> [Violation] {
        guard case .failure(let f) = json(fields, endpoint) else { return [] }
        return f.violations
    }

    struct Rule: Sendable, CustomTestStringConvertible {
        let name: String
        let fields: [String: JSONValue]
        let code: String?
        let param: String
        var testDescription: String { name }
    }

    static let rules: [Rule] = [
        Rule(name: "missing model", fields: ["prompt": "x"], code: nil, param: "model"),
        Rule(name: "model not a string", fields: ["model": 3, "prompt": "x"], code: "invalid_type", param: "model"),
        Rule(name: "unknown model", fields: ["model": "gpt-image-3", "prompt": "x"], code: "model_not_found", param: "model"),
        Rule(name: "missing prompt", fields: ["model": "gpt-image-2"], code: nil, param: "prompt"),
        Rule(
            name: "prompt over 4000",
            fields: ["model": "gpt-image-2", "prompt": .string(String(repeating: "a", count: 4001))],
            code: "string_above_max_length",
            param: "prompt"
        ),
        Rule(
            name: "input_fidelity on gpt-image-2",
            fields: ["model": "gpt-image-2", "prompt": "x", "input_fidelity": "high"],
            code: "unsupported_parameter",
            param: "input_fidelity"
        ),
        Rule(
            name: "aspect_ratio on gpt-image-2",
            fields: ["model": "gpt-image-2", "prompt": "x", "aspect_ratio": "1:1"],
            code: "unsupported_parameter",
            param: "aspect_ratio"
        ),
        Rule(
            name: "resolution on nano-banana",
            fields: ["model": "nano-banana", "prompt": "x", "resolution": "2k"],
            code: "unsupported_parameter",
            param: "resolution"
        ),
        Rule(
            name: "quality not in enum",
            fields: ["model": "gpt-image-2", "prompt": "x", "quality": "ultra"],
            code: "invalid_value",
            param: "quality"
        ),
        Rule(
            name: "transparent background on gpt-image-2",
            fields: ["model": "gpt-image-2", "prompt": "x", "background": "transparent"],
            code: "invalid_value",
            param: "background"
        ),
        Rule(name: "n above 10", fields: ["model": "gpt-image-2", "prompt": "x", "n": 11], code: "invalid_value", param: "n"),
        Rule(name: "n below 1", fields: ["model": "gpt-image-2", "prompt": "x", "n": 0], code: "invalid_value", param: "n"),
        Rule(name: "n as a string in JSON", fields: ["model": "gpt-image-2", "prompt": "x", "n": "2"], code: "invalid_type", param: "n"),
        Rule(
            name: "output_compression above 100",
            fields: ["model": "gpt-image-2", "prompt": "x", "output_compression": 101],
            code: "invalid_value",
            param: "output_compression"
        ),
        Rule(name: "stream true", fields: ["model": "gpt-image-2", "prompt": "x", "stream": true], code: "unsupported_parameter", param: "stream"),
        Rule(
            name: "images[] on generations",
            fields: ["model": "gpt-image-2", "prompt": "x", "images": [["image_url": "https://example.com/a.png"]]],
            code: "unsupported_parameter",
            param: "images"
        ),
        Rule(
            name: "file_id on generations",
            fields: ["model": "gpt-image-2", "prompt": "x", "file_id": "file_1"],
            code: "unsupported_parameter",
            param: "file_id"
        ),
        Rule(
            name: "aspect_ratio not offered",
            fields: ["model": "nano-banana", "prompt": "x", "aspect_ratio": "7:3"],
            code: "invalid_value",
            param: "aspect_ratio"
        ),
        Rule(
            name: "resolution not offered",
            fields: ["model": "grok-imagine-image", "prompt": "x", "resolution": "4k"],
            code: "invalid_value",
            param: "resolution"
        ),
        Rule(
            name: "size outside qwen's list",
            fields: ["model": "qwen-image-plus", "prompt": "x", "size": "1024x1024"],
            code: "invalid_value",
            param: "size"
        ),
        Rule(
            name: "output_format the model lacks",
            fields: ["model": "flux-pro", "prompt": "x", "output_format": "webp"],
            code: "invalid_value",
            param: "output_format"
        ),
        Rule(
            name: "unknown operation",
            fields: ["model": "gpt-image-2", "prompt": "x", "operation": "paint"],
            code: "invalid_value",
            param: "operation"
        ),
        Rule(
            name: "image-to-image on a text-only model",
            fields: ["model": "qwen-image-plus", "prompt": "x", "operation": "image-to-image"],
            code: "unsupported_operation",
            param: "operation"
        ),
        Rule(
            name: "image_urls on text-to-image",
            fields: ["model": "gpt-image-2", "prompt": "x", "image_urls": ["https://example.com/a.png"]],
            code: "unsupported_parameter",
            param: "image_urls"
        ),
        Rule(
            name: "private reference URL",
            fields: [
                "model": "nano-banana", "prompt": "x", "operation": "image-to-image",
                "image_urls": ["https://example.com/a.png", "http://10.0.0.1/b.png"],
            ],
            code: "invalid_image_url",
            param: "image_urls[1]"
        ),
    ]

    @Test(arguments: rules)
    func rejects(rule: Rule) throws {
        let violations = failure(rule.fields)
        let match = try #require(violations.first { $0.param == rule.param }, "no violation for \(rule.param): \(violations)")
        #expect(match.code == rule.code)
        #expect(match.status == 400)
        #expect(match.type == "invalid_request_error")
    }

    @Test func collectsEveryViolationNotJustTheFirst() {
        let violations = failure(["model": "gpt-image-2", "prompt": "x", "input_fidelity": "high", "stream": true, "n": 99, "size": "1000x1000"])
        #expect(Set(violations.compactMap(\.param)) == ["input_fidelity", "stream", "n", "size"])
    }

    @Test func unknownModelSuggestsTheClosest() throws {
        let v = try #require(failure(["model": "gpt-image-3", "prompt": "x"]).first)
        #expect(v.hints["did_you_mean"] == "gpt-image-2")
    }

    @Test func unsupportedParameterListsTheContract() throws {
        let v = try #require(failure(["model": "gpt-image-2", "prompt": "x", "input_fidelity": "high"]).first)
        let supported = try #require(v.hints["supported_parameters"]?.arrayValue).compactMap(\.stringValue)
        #expect(supported.contains("size"))
        #expect(!supported.contains("input_fidelity"))
    }

    struct SizeCase: Sendable {
        let size: String
        let ok: Bool
    }
    static let gptSizes: [SizeCase] = [
        .init(size: "auto", ok: true), .init(size: "1024x1024", ok: true), .init(size: "1536x1024", ok: true),
        .init(size: "3840x1280", ok: true), .init(size: "2880x2880", ok: true), .init(size: "1024x1008", ok: true),
        .init(size: "1000x1000", ok: false),  // not multiples of 16
        .init(size: "3856x1296", ok: false),  // longest edge over 3840
        .init(size: "3840x1264", ok: false),  // ratio over 3:1
        .init(size: "512x512", ok: false),  // under 655,360 px
        .init(size: "3840x2176", ok: false),  // over 8,294,400 px
        .init(size: "1024", ok: false), .init(size: "x1024", ok: false), .init(size: "-16x1024", ok: false),
    ]

    @Test(arguments: gptSizes)
    func gptImage2SizeRules(c: SizeCase) {
        let result = json(["model": "gpt-image-2", "prompt": "x", "size": .string(c.size)])
        switch result {
        case .success(let job):
            #expect(c.ok, "accepted \(c.size)")
            if c.size != "auto" { #expect("\(job.width)x\(job.height)" == c.size) }
        case .failure(let f):
            #expect(!c.ok, "refused \(c.size): \(f.violations)")
            #expect(f.violations.first?.param == "size")
        }
    }

    @Test func aspectRatioAndResolutionPickDimensions() throws {
        let job = try json(["model": "nano-banana-2", "prompt": "x", "aspect_ratio": "16:9", "resolution": "2k"]).get()
        #expect(job.width == 2688 && job.height == 1536)
        let defaults = try json(["model": "nano-banana", "prompt": "x"]).get()
        #expect(defaults.width == 1024 && defaults.height == 1024)
        let alias = try json(["model": "gemini-3-pro-image", "prompt": "x", "size": "2048x1152"]).get()
        #expect(alias.width == 2688 && alias.height == 1536)
    }

    @Test func multipartTextIsCoercedToTheSpecsType() throws {
        let request = ImageRequest(
            endpoint: .generations,
            encoding: .multipart,
            fields: ["model": "gpt-image-2", "prompt": "x", "n": "3", "stream": "false", "output_compression": "40"]
        )
        let job = try validator.validate(request).get()
        #expect(job.n == 3)
        #expect(job.compression == 40)
        let bad = ImageRequest(
            endpoint: .generations,
            encoding: .multipart,
            fields: ["model": "gpt-image-2", "prompt": "x", "n": "three"],
            duplicateFields: ["prompt"]
        )
        guard case .failure(let f) = validator.validate(bad) else {
            Issue.record("accepted")
            return
        }
        #expect(f.violations.map(\.param) == ["prompt", "n"])
    }

    @Test func asyncIsHonouredOnlyWhereTheModelSaysSo() throws {
        #expect(try json(["model": "gpt-image-2", "prompt": "x", "async": true]).get().asyncRequested)
        #expect(try !json(["model": "nano-banana", "prompt": "x", "async": true]).get().asyncRequested)
    }

    @Test func editsForNanoBananaSayWhereToGo() throws {
        let v = try #require(failure(["model": "nano-banana", "prompt": "x", "image_url": "https://example.com/a.png"], .edits).first)
        #expect(v.code == "unsupported_operation")
        #expect(v.message.contains("/v1/images/generations"))
        #expect(v.message.contains("image-to-image"))
    }
}

@Suite struct JSONValueTests {
    @Test(arguments: ["{\"a\":1,}", "[1,2,]", "{\"a\":[1, ]}", "{\"a\":1 , }"])
    func trailingCommasAreRefused(text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test(arguments: ["{\"a\":\",}\"}", "{\"a\":[1,2],\"b\":{}}", "{\"a\":\"\\\\\",\"b\":1}"])
    func commasInsideStringsAreFine(text: String) throws {
        _ = try JSONValue.parse(Array(text.utf8))
    }

    @Test func serializationIsSortedAndRoundTrips() throws {
        let value: JSONValue = ["b": [1, 2.5, "x\n\"y\u{1}"], "a": nil, "c": true]
        let text = value.serializedString()
        #expect(text == #"{"a":null,"b":[1,2.5,"x\n\"y\u0001"],"c":true}"#)
        #expect(try JSONValue.parse(Array(text.utf8)) == value)
    }
}

@Suite struct StrictJSONTests {
    @Test(arguments: [
        "", "{", "{\"a\"}", "{\"a\":}", "[1 2]", "01", "1.", ".5", "-", "tru", "nul", "\"\\x\"", "\"a\nb\"",
        "{\"a\":1}x", "\"\\ud800\"", "[1e]", "{'a':1}", "NaN", "[-]",
    ])
    func refusesInvalidJSON(text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func parsesEveryKind() throws {
        let v = try JSONValue.parse(Array(#" {"i": -12, "d": 1.5e2, "s": "\u00e9\ud83d\ude00\n", "b": [true, false, null], "o": {}} "#.utf8))
        #expect(v == ["i": -12, "d": 150.0, "s": "é😀\n", "b": [true, false, nil], "o": [:]])
    }

    @Test func deepNestingIsRefusedNotAStackOverflow() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array(deep.utf8)) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse([0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse([0x22, 0x61, 0xC3, 0x22]) }  // a truncated é after ASCII
    }

    /// A prompt of only whitespace (ASCII or not) is empty; one printable character is enough.
    @Test(arguments: [("", true), ("   ", true), ("\t\n ", true), ("\u{3000}\u{00A0}", true), ("  a ", false), ("\u{3000}東", false), ("é", false)])
    func blankPromptsAreRefused(prompt: String, blank: Bool) {
        let validator = Validator(catalog: try! Catalog.builtIn())
        let fields: [String: JSONValue] = ["model": "gpt-image-2", "prompt": .string(prompt)]
        let violations: [Violation]
        switch validator.validate(ImageRequest(endpoint: .generations, encoding: .json, fields: fields)) {
        case .success: violations = []
        case .failure(let failure): violations = failure.violations
        }
        #expect(violations.contains { $0.param == "prompt" && $0.code == "invalid_value" } == blank)
    }

    /// Strings without escapes take the fast path: ASCII as is, anything else validated.
    @Test(arguments: ["a red fox in snow", "", "café 東京 😀", "a\u{00e9}b"])
    func unescapedStringsRoundTrip(text: String) throws {
        let json = JSONValue.string(text).serialized()
        #expect(try JSONValue.parse(json) == .string(text))
        #expect(try JSONValue.parse(Array("\"\(text)\"".utf8)) == .string(text))
    }
}
