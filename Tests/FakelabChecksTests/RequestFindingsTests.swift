import FakelabAPI
import FakelabChecks
import Testing

let requestFindingCases: [FindingCase] = [
    .fires(
        "unsupported_field_sent",
        on: [1, 2],
        "style refused twice",
        journal(
            create(["model": "m", "prompt": "p", "style": "vivid"]).answered(400).error("unsupported_parameter", param: "style"),
            create(["model": "m", "prompt": "q", "style": "vivid"], at: 1).answered(400).error("unsupported_parameter", param: "style")
        )
    ),
    .fires("unsupported_field_sent", on: [1], "unknown_parameter", journal(create().answered(400).error("unknown_parameter", param: "colour"))),
    .quiet("unsupported_field_sent", "another 400", journal(create().answered(400).error("invalid_value", param: "size"))),
    .fires("model_missing", on: [1], "no model field", journal(create(["prompt": "a cup"]).answered(400))),
    .fires("model_missing", on: [2], "an empty model", journal(create(), create(["model": "", "prompt": "a cup"], at: 1))),
    .quiet("model_missing", "model sent", journal(create())),
    .quiet("model_missing", "not a create", journal(request("GET", "/v1/models"))),
    .fires(
        "unsafe_reference_url",
        on: [1],
        "loopback image_url",
        journal(create(["model": "m", "prompt": "p", "image_url": "http://127.0.0.1/a.png"], path: "/v1/images/edits").answered(400))
    ),
    .fires(
        "unsafe_reference_url",
        on: [1],
        "credentials in image_urls",
        journal(create(["model": "m", "prompt": "p", "image_urls": ["https://u:pw@images.example.com/a.png"]]))
    ),
    .fires("unsafe_reference_url", on: [1], "fragment", journal(create(["model": "m", "image_url": "https://images.example.com/a.png#x"]))),
    .fires(
        "unsafe_reference_url",
        on: [1],
        "private address inside images[]",
        journal(create(["model": "m", "images": [["image_url": "http://10.0.0.7/a.png"]]]))
    ),
    .quiet("unsafe_reference_url", "public https URL", journal(create(["model": "m", "image_url": "https://images.example.com/a.png"]))),
    .quiet("unsafe_reference_url", "a URL in the prompt is no reference", journal(create(["model": "m", "prompt": "http://127.0.0.1/"]))),
    .fires("b64_expected_from_task", on: [1, 3], "asked b64, took nothing from the task", polledTask(b64: true)),
    .quiet(
        "b64_expected_from_task",
        "fetched the URL",
        numbered(polledTask(b64: true) + [request("GET", "/fakelab/images/t1.png", at: 9)])
    ),
    .quiet("b64_expected_from_task", "asked for URLs", polledTask()),
    .fires(
        "expired_url_refetched",
        on: [1, 2, 3],
        "fetched twice more after 404",
        journal(
            request("GET", "/fakelab/images/a.png").answered(404),
            request("GET", "/fakelab/images/a.png", at: 1).answered(404),
            request("GET", "/fakelab/images/a.png", at: 2).answered(404)
        )
    ),
    .quiet(
        "expired_url_refetched",
        "fetched once, then reported",
        journal(request("GET", "/fakelab/images/a.png"), request("GET", "/fakelab/images/b.png", at: 1).answered(404))
    ),
]

@Suite struct RequestFindingsTests {
    @Test(arguments: requestFindingCases) func finds(_ c: FindingCase) {
        c.expectOutcome()
    }

    @Test func unsafeURLMessagesNeverShowCredentials() throws {
        let j = journal(create(["model": "m", "image_url": "https://user:hunter2@10.0.0.1/a.png"]))
        let f = try #require(Verdict.analyse(j).findings.first { $0.finding == "unsafe_reference_url" })
        #expect(!f.message.contains("hunter2") && f.message.contains("https://…@10.0.0.1/a.png"))
    }

    @Test func loopbackPassesWhenTheFakeAllowsIt() {
        let j = journal(create(["model": "m", "image_url": "http://127.0.0.1:9000/a.png"]))
        #expect(Verdict.analyse(j).findings.contains { $0.finding == "unsafe_reference_url" })
        #expect(!Verdict.analyse(j, allowLoopbackReferences: true).findings.contains { $0.finding == "unsafe_reference_url" })
    }

    @Test func expiredURLRefetchIsNotAlsoReportedAsANonRetryableRetry() {
        let j = journal(request("GET", "/fakelab/images/a.png").answered(404), request("GET", "/fakelab/images/a.png", at: 1).answered(404))
        #expect(Verdict.analyse(j).findings.map(\.finding) == ["expired_url_refetched"])
    }
}
