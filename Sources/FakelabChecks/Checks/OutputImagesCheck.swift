import FakelabAPI

/// `output_images`: the client reported `count` (default 1) decodable images, of `format` and
/// `width`×`height` when given.
public struct OutputImagesCheck: Check {
    public init() {}
    public let name = "output_images"
    public let needsClient = true
    public let arguments = [
        CheckArgument("count", .integer, "how many images; default 1"),
        CheckArgument("format", .string, "png, jpeg or webp"),
        CheckArgument("width", .integer, "pixels (with height)"),
        CheckArgument("height", .integer, "pixels (with width)"),
    ]

    public func judge(_ arguments: [String: JSONValue], _ input: CheckInput) -> Judgement {
        let a = Arguments(arguments)
        let count = a.int("count") ?? 1
        var want = ["\(count) image(s)"]
        if let f = a.string("format") { want.append(f) }
        if let w = a.int("width"), let h = a.int("height") { want.append("\(w)x\(h)") }
        let expected = want.joined(separator: ", ") + ", decodable"
        guard let client = input.client else { return .noClient(expected) }
        let got = client.images.map { i in i.problem ?? "\(i.format ?? "?") \(i.width ?? 0)x\(i.height ?? 0)" }
        let good = client.images.filter { i in
            i.problem == nil && (a.string("format").map { $0 == i.format } ?? true) && (a.int("width").map { $0 == i.width } ?? true)
                && (a.int("height").map { $0 == i.height } ?? true)
        }
        return Judgement(
            passed: client.images.count == count && good.count == count,
            expected: expected,
            actual: got.isEmpty ? "no images" : got.joined(separator: "; ")
        )
    }
}
