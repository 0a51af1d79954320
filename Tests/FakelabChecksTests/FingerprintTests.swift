import FakelabAPI
import Testing

@Suite struct FingerprintTests {
    typealias F = JournalEntry.Fingerprint

    static func json(_ fields: [String: JSONValue]) -> JournalEntry.Body { .init(kind: .json, fields: fields) }

    @Test func keyOrderDoesNotMatter() throws {
        let a = try JSONValue.parse(Array(#"{"model": "m", "prompt": "p", "size": {"w": 1, "h": 2}}"#.utf8))
        let b = try JSONValue.parse(Array(#"{"size": {"h": 2, "w": 1}, "prompt": "p", "model": "m"}"#.utf8))
        #expect(
            F.make(method: "POST", path: "/x", body: Self.json(a.objectValue!)) == F.make(method: "post", path: "/x", body: Self.json(b.objectValue!))
        )
    }

    @Test func itIsStableHex() {
        let f = F.make(method: "POST", path: "/v1/images/generations", body: Self.json(["model": "gpt-image-2", "prompt": "a cup"]))
        #expect(f.count == 32 && f.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(f == F.make(method: "POST", path: "/v1/images/generations", body: Self.json(["prompt": "a cup", "model": "gpt-image-2"])))
        // Pinned: the server and every reader must compute the same digest, run after run and release after release.
        #expect(F.make(method: "POST", path: "/v1/images/edits", body: nil) == "d6587fee2459edc1f02a3227fcf35ff6")
        #expect(
            F.make(method: "POST", path: "/v1/images/edits", body: Self.json(["model": "m", "prompt": "q"])) == "280c351af23066219ad5cc5f2a73c32d"
        )
    }

    @Test func thePartsFormIsTheBodyForm() {
        let body = JournalEntry.Body(kind: .multipart, fields: ["model": "m"], files: [.init(name: "image[]", size: 3, sha256: "cd")])
        let parts = F.make(
            method: "POST",
            path: "/v1/images/edits",
            kind: .multipart,
            fields: ["model": "m"],
            files: [(name: "image[]", sha256: "cd")]
        )
        #expect(parts == F.make(method: "POST", path: "/v1/images/edits", body: body))
    }

    static let base = (method: "POST", path: "/v1/images/edits", fields: ["model": "m", "prompt": "p"] as [String: JSONValue])

    @Test(arguments: [
        ("another method", F.make(method: "PUT", path: base.path, body: json(base.fields))),
        ("another path", F.make(method: base.method, path: "/v1/images/generations", body: json(base.fields))),
        ("a changed field", F.make(method: base.method, path: base.path, body: json(["model": "m", "prompt": "q"]))),
        ("an added field", F.make(method: base.method, path: base.path, body: json(["model": "m", "prompt": "p", "n": 1]))),
        ("another kind", F.make(method: base.method, path: base.path, body: .init(kind: .multipart, fields: base.fields))),
        (
            "a file",
            F.make(
                method: base.method,
                path: base.path,
                body: .init(kind: .json, fields: base.fields, files: [.init(name: "image", size: 1, sha256: "aa")])
            )
        ),
        ("no body", F.make(method: base.method, path: base.path, body: nil)),
    ])
    func aChangeGivesAnotherFingerprint(_ what: String, _ fingerprint: String) {
        #expect(fingerprint != F.make(method: Self.base.method, path: Self.base.path, body: Self.json(Self.base.fields)), "\(what)")
    }

    @Test func filesCountByContentNotByFilename() {
        func edit(_ filename: String, _ sha: String) -> String {
            F.make(
                method: "POST",
                path: "/v1/images/edits",
                body: .init(kind: .multipart, fields: ["model": "m"], files: [.init(name: "image", filename: filename, size: 9, sha256: sha)])
            )
        }
        #expect(edit("a.png", "aa") == edit("b.png", "AA"))
        #expect(edit("a.png", "aa") != edit("a.png", "bb"))
    }

    @Test func integersWrittenAsWholeDoublesAreTheSame() {
        #expect(F.make(method: "POST", path: "/x", body: Self.json(["n": 1])) == F.make(method: "POST", path: "/x", body: Self.json(["n": 1.0])))
    }
}
