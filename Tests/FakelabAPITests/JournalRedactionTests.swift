import FakelabAPI
import Testing

/// The rules every journal shows a request by: bounded, and never a key, whole or in part.
@Suite struct JournalRedactionTests {
    static let key = "sk-live-abcdefghijklmnopqrstuvwx"

    /// A long string is cut after masking: a key across the cut shows none of its middle.
    @Test(arguments: [0, 50, 55, 60, 63])
    func aCutNeverLeavesPartOfAKey(at offset: Int) {
        let text = String(repeating: "x", count: offset) + " " + Self.key + String(repeating: "y", count: 300)
        guard case .string(let shown) = JournalRedaction.bounded(.string(text)) else {
            Issue.record("not a string")
            return
        }
        #expect(!shown.contains("abcdefg") && !shown.contains("live-a"), "\(shown)")
        #expect(shown.hasSuffix("(\(text.utf8.count) bytes)"))
    }

    @Test func fileNamesAndMemberNamesAreMasked() {
        let file = JournalEntry.File(name: "image", filename: "\(Self.key).png", contentType: "image/png", size: 3, sha256: "ab")
        let body = JournalRedaction.body(kind: .multipart, fields: [Self.key: "v", "prompt": .string("a \(Self.key)")], files: [file])
        let text = "\(body.fields) \(body.files)"
        #expect(!text.contains("abcdefghijklmnop"), "\(text)")
        #expect(body.files.first?.filename == Secrets.mask(Self.key) + ".png")
    }

    /// Every text of an entry a client could have put a key in is masked for every reader.
    @Test func aShownEntryHoldsNoKey() {
        let k = Self.key
        var e = JournalEntry(seq: 1, time: 0, method: "GET", path: "/v1/tasks/\(k)", query: "api_key=abc123&q=\(k)", requestID: "r")
        (e.model, e.taskID, e.pollURL, e.fault) = (k, k, "/v1/tasks/\(k)", "delay; note=\(k)")
        e.error = JournalEntry.ErrorInfo(type: k, code: k, param: k, message: "unknown model \(k)")
        e.result = JournalEntry.Result(kind: .inline, urls: ["http://\(k)/a.png"])
        let text = JournalRedaction.shown(e).json.serializedString()
        #expect(!text.contains("abcdefghijklmnop") && !text.contains("abc123"), "\(text)")
        #expect(JournalRedaction.shown(e).method == "GET" && JournalRedaction.shown(e).seq == 1)
    }

    @Test func headersMaskCredentialsAndTokens() {
        let shown = JournalRedaction.headers([
            (name: "Authorization", value: "Bearer \(Self.key)"), (name: "X-Echo", value: "k=\(Self.key)"), (name: "Accept", value: "*/*"),
        ])
        #expect(shown["authorization"] == "Bearer sk-…uvwx")
        #expect(shown["x-echo"] == "k=sk-…uvwx")
        #expect(shown["accept"] == "*/*")
    }
}
