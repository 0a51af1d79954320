/// Size limits TokenLab documents (docs/tokenlab.md §3.4): 50 MiB per image, 200 MiB per request.
public struct Limits: Sendable {
    public var maxBodyBytes: Int
    public var maxImageBytes: Int
    /// JSON bodies carry no files; they get the whole-request limit too (data URLs can be large).
    public var maxJSONBytes: Int
    /// Multipart parts a request may have before it is refused (guards 10,000-field bodies).
    public var maxParts: Int

    public init(maxBodyBytes: Int = 200 << 20, maxImageBytes: Int = 50 << 20, maxJSONBytes: Int = 200 << 20, maxParts: Int = 256) {
        self.maxBodyBytes = maxBodyBytes
        self.maxImageBytes = maxImageBytes
        self.maxJSONBytes = maxJSONBytes
        self.maxParts = maxParts
    }

    public static let `default` = Limits()
}
