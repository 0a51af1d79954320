import FakelabAPI
import FakelabChecks
import Testing

let clientCheckCases: [CheckCase] = [
    .init("exit_code", [:], client: clientRun(exit: 0), passes: true, "exit 0 by default"),
    .init("exit_code", [:], client: clientRun(exit: 1), passes: false, "exit 1 is not 0"),
    .init("exit_code", ["equals": 3], client: clientRun(exit: 3), passes: true, "the status asked for"),
    .init("exit_code", ["nonzero": true], client: clientRun(exit: 2), passes: true, "any non-zero"),
    .init("exit_code", ["nonzero": true], client: clientRun(exit: 0), passes: false, "zero is not non-zero"),
    .init("exit_code", [:], client: nil, passes: false, "no client run (/verify)"),
    .init("result_status", [:], client: clientRun(result: ["status": "succeeded"]), passes: true, "succeeded by default"),
    .init("result_status", ["equals": "failed"], client: clientRun(result: ["status": "succeeded"]), passes: false, "another status"),
    .init("result_status", [:], client: clientRun(result: nil), passes: false, "no result file"),
    .init("result_field", ["field": "error.code"], client: clientRun(result: ["error": ["code": "x"]]), passes: true, "a dotted path present"),
    .init("result_field", ["field": "error.code"], client: clientRun(result: ["error": ["code": nil]]), passes: false, "null counts as absent"),
    .init("result_field", ["field": "n", "equals": 2], client: clientRun(result: ["n": 2]), passes: true, "equal value"),
    .init("result_field", ["field": "n", "equals": 2], client: clientRun(result: ["n": 3]), passes: false, "another value"),
    .init("result_request_id", [:], journal(create(at: 1)), client: clientRun(result: ["request_id": "req_1000"]), passes: true, "a request's id"),
    .init(
        "result_request_id",
        [:],
        journal(create(at: 1)),
        client: clientRun(result: ["request_id": "req_made_up"]),
        passes: false,
        "an id never sent"
    ),
    .init("finished_within", ["seconds": 5], client: clientRun(seconds: 4.9), passes: true, "inside the bound"),
    .init("finished_within", ["seconds": 5], client: clientRun(seconds: 5.5), passes: false, "over the bound"),
    .init("finished_within", [:], client: clientRun(seconds: 1, timedOut: true), passes: false, "stopped by the runner"),
    .init(
        "output_images",
        ["count": 1, "format": "png", "width": 64, "height": 64],
        client: clientRun(images: [.init(format: "png", width: 64, height: 64)]),
        passes: true,
        "one matching image"
    ),
    .init(
        "output_images",
        ["width": 64, "height": 64],
        client: clientRun(images: [.init(format: "png", width: 32, height: 32)]),
        passes: false,
        "wrong size"
    ),
    .init("output_images", [:], client: clientRun(images: [.init(problem: "not an image")]), passes: false, "undecodable"),
    .init("output_images", ["count": 2], client: clientRun(images: [.init(format: "png", width: 1, height: 1)]), passes: false, "too few"),
    .init("secret_not_in_output", [:], client: clientRun(stdout: "key sk-…0001"), passes: true, "masked key only"),
    .init("secret_not_in_output", [:], client: clientRun(stdout: "using sk-test-secret-0001"), passes: false, "the key printed"),
    .init("secret_not_in_output", [:], client: clientRun(result: ["key": "sk-test-secret-0001"]), passes: false, "the key in the result"),
]

@Suite struct ClientChecksTests {
    @Test(arguments: clientCheckCases) func judges(_ c: CheckCase) throws {
        try CheckRegistry.validate(name: c.check, arguments: c.arguments)
        #expect(c.judgement.passed == c.passes, "\(c.judgement)")
    }

    /// Checks that read the client's run say so when there is none, instead of passing.
    @Test(arguments: CheckRegistry.names.filter { CheckRegistry.all[$0]!.needsClient })
    func clientChecksFailWithoutAClient(_ name: String) {
        let j = CheckRegistry.judge(name, [:], CheckInput(journal: journal(create())))
        #expect(!j.passed)
        #expect(j.actual.contains("no client run"))
    }

    @Test func evidenceStringsAreTheConformanceOnes() {
        let exit = CheckRegistry.judge("exit_code", [:], CheckInput(journal: [], client: clientRun(exit: 1)))
        #expect(exit == Judgement(passed: false, expected: "exit 0", actual: "exit 1"))
        let status = CheckRegistry.judge("result_status", [:], CheckInput(journal: [], client: clientRun(result: ["status": "failed"])))
        #expect(status.expected == #"result status "succeeded""# && status.actual == #""failed""#)
        let secret = CheckRegistry.judge("secret_not_in_output", [:], CheckInput(journal: [], client: clientRun(stdout: "sk-test-secret-0001")))
        #expect(secret.actual == "printed to stdout")
        let time = CheckRegistry.judge("finished_within", ["seconds": 30], CheckInput(journal: [], client: clientRun(seconds: 2.5)))
        #expect(time.expected == "the client finishes within 30 s" && time.actual == "2.5 s")
    }
}
