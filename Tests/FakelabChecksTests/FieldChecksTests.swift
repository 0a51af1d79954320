import FakelabAPI
import FakelabChecks
import Testing

let fieldCheckCases: [CheckCase] = [
    .init("field_present", ["field": "model"], journal(create()), passes: true, "JSON member"),
    .init("field_present", ["field": "size"], journal(create()), passes: false, "not sent"),
    .init("field_present", ["field": "model"], [], passes: false, "no request at all"),
    .init(
        "field_present",
        ["field": "image", "route": "POST /v1/images/edits"],
        journal(multipartEdit(files: ["image[]"])),
        passes: true,
        "image[] is image"
    ),
    .init("field_present", ["field": "model"], journal(create(), create(["prompt": "x"], at: 1)), passes: false, "missing in one"),
    .init("field_absent", ["field": "stream"], journal(create()), passes: true, "never sent"),
    .init("field_absent", ["field": "stream"], journal(create(["model": "m", "stream": true])), passes: false, "sent"),
    .init(
        "field_absent",
        ["field": "mask", "route": "/v1/images/edits"],
        journal(multipartEdit(files: ["image", "mask"])),
        passes: false,
        "a file part"
    ),
    .init("field_equals", ["field": "n", "value": 2], journal(create(["model": "m", "n": 2])), passes: true, "equal"),
    .init("field_equals", ["field": "n", "value": 2], journal(create(["model": "m", "n": 1])), passes: false, "another value"),
    .init("field_equals", ["field": "n", "value": 2], journal(create(["model": "m"])), passes: false, "absent"),
    .init("field_equals", ["field": "n", "value": 2], [], passes: false, "no request"),
    .init("body_kind", ["kind": "json"], journal(create()), passes: true, "JSON"),
    .init("body_kind", [:], journal(multipartEdit()), passes: true, "multipart by default"),
    .init("body_kind", [:], journal(create()), passes: false, "JSON is not multipart"),
    .init("body_kind", ["kind": "json"], [], passes: false, "no request"),
]

@Suite struct FieldChecksTests {
    @Test(arguments: fieldCheckCases) func judges(_ c: CheckCase) throws {
        try CheckRegistry.validate(name: c.check, arguments: c.arguments)
        #expect(c.judgement.passed == c.passes, "\(c.judgement)")
    }

    @Test func fieldEqualsShowsWhatEachRequestSent() {
        let j = CheckRegistry.judge(
            "field_equals",
            ["field": "n", "value": 2],
            CheckInput(journal: journal(create(["model": "m", "n": 1]), create(["model": "m"], at: 1)))
        )
        #expect(j.expected == "`n` = 2 on create")
        #expect(j.actual == "#1 POST /v1/images/generations → 200: 1; #2 POST /v1/images/generations → 200: absent")
    }

    @Test func bodyKindFallsBackToTheContentType() {
        let plain = request("POST", "/v1/images/generations").header("content-type", "text/plain")
        let j = CheckRegistry.judge("body_kind", ["kind": "json"], CheckInput(journal: journal(plain)))
        #expect(j.actual == "#1 POST /v1/images/generations → 200: text/plain")
    }
}
