import FakelabAPI
import FakelabImaging
import Testing

@testable import FakelabServer

/// A task body is written field by field (no dictionary per poll); it must equal the
/// `JSONValue` form byte for byte, for every status and policy that shapes it.
@Suite struct TaskRenderTests {
    static let spec = ImageSpec(width: 1024, height: 768, format: .png, seed: 0xDEAD_BEEF)

    static func record(_ policy: TaskPolicy, results: Int) -> TaskStore.Record {
        TaskStore.Record(
            id: TaskID(high: 0x0123_4567_89AB_CDEF, low: 42),
            owner: APIKey(verified: "sk-render-test-0001"),
            model: "flux-pro",
            created: 1_764_582_000,
            updated: 1_764_582_004,
            policy: policy,
            pollPath: .imageGenerations,
            resultBase: "http://127.0.0.1:8080/fakelab/images/",
            results: .init((0..<results).map { ResultImage.Name(spec: Self.spec, derived: $0 == 1) }),
            billing: BillingID(value: 7)
        )
    }

    @Test(arguments: [
        (TaskPolicy(.instant), TaskStatus.pending, 1),
        (TaskPolicy(.duration(pending: 1, processing: 10)), .processing, 1),
        (TaskPolicy(.polls(pending: 1, processing: 1)), .processing, 1),
        (TaskPolicy(.instant), .completed, 2),
        (TaskPolicy(.instant), .completed, 0),
        (TaskPolicy(.instant, failure: .contentPolicy), .failed, 1),
        (TaskPolicy(.instant), .failed, 1),
    ])
    func theWrittenBodyEqualsTheValueForm(policy: TaskPolicy, status: TaskStatus, results: Int) throws {
        let r = Self.record(policy, results: results)
        let now = r.created + 5
        let written = TaskStore.render(r, status: status, now: now)
        #expect(written == Self.renderValue(r, status: status, now: now).serialized())
        let parsed = try JSONValue.parse(written)
        #expect(parsed["status"]?.stringValue == status.rawValue)
        #expect(parsed["id"]?.stringValue == "ldtask_0123456789abcdef000000000000002a")
    }

    /// Billing ids are `c` and 24 base-36 digits, least significant first, 12 per 64-bit chunk
    /// (the next chunk SplitMix64 of the last): the same seeded bits give the same id release
    /// after release (values from an independent implementation of the rule).
    @Test(arguments: [
        (UInt64(0x0123_4567_89AB_CDEF), "cf80v360g9fm0w3mhv6z4ixup"),
        (UInt64.max, "cfsgs46211e5wffxlxsvytkzq"),
    ])
    func billingIDsAreBase36(value: UInt64, expected: String) {
        #expect(BillingID(value: value).description == expected)
        #expect(Base36.string(35, digits: 3) == "z00")
    }

    /// Result names spell the spec: size, 16 hex digits of seed, a quality or the derived mark,
    /// the format's extension; the URL is the prefix and the name, and a name reads back as its spec.
    @Test func resultNamesSpellTheirSpec() {
        let png = ImageSpec(width: 1024, height: 768, format: .png, seed: 0x0e6e_4595_05ee_3f2a)
        #expect(ResultImage.Name(spec: png).text == "1024x768-0e6e459505ee3f2a.png")
        #expect(ResultImage.Name(spec: png).url("http://h:1/fakelab/images/") == "http://h:1/fakelab/images/1024x768-0e6e459505ee3f2a.png")
        #expect(ResultImage.Name(spec: png, derived: true).text == "1024x768-0e6e459505ee3f2a-d.png")
        let jpeg = ImageSpec(width: 8, height: 16_384, format: .jpeg, seed: 1, quality: 100)
        #expect(ResultImage.Name(spec: jpeg).text == "8x16384-0000000000000001-q100.jpg")
        #expect(ResultImage.spec(fromName: ResultImage.Name(spec: jpeg).text, maxPixels: 1 << 20) == jpeg)
    }

    @Test func taskIDsRoundTripAndRefuseWhatIsNotOne() {
        let id = TaskID(high: .max, low: 1)
        #expect(TaskID(id.description) == id)
        #expect(TaskID(id.description.uppercased().replacingOccurrences(of: "LDTASK_", with: "ldtask_")) == id)
        #expect(TaskID("ldtask_123") == nil)
        #expect(TaskID("task_0123456789abcdef0123456789abcdef") == nil)
        #expect(TaskID("ldtask_0123456789abcdef0123456789abcdeg") == nil)
    }

    /// The same body as a `JSONValue` built the plain way: the oracle `render` must match.
    static func renderValue(_ r: TaskStore.Record, status: TaskStatus, now: Double) -> JSONValue {
        let id = JSONValue.string(r.id.description)
        var body: [String: JSONValue] = [
            "id": id, "task_id": id, "object": "image.task",
            "status": .string(status.rawValue), "model": .string(r.model),
            "created": .int(Int(r.created)), "updated": .int(Int(max(r.updated, r.created))),
            "poll_url": .string(r.pollPath.url(for: r.id.description)), "data": [],
        ]
        switch status {
        case .completed:
            body["data"] = .array(r.resultURLs.map { ["url": .string($0)] })
            body["billing_transaction_id"] = .string(r.billing.description)
        case .failed:
            let failure = r.policy.failure ?? .upstream
            body["error"] = .string(failure.message)
            body["error_details"] = failure.details
        case .processing, .pending: break
        }
        if let progress = TaskStore.progress(r, status: status, now: now) { body["progress"] = .int(progress) }
        return .object(body)
    }

}

/// A task's result names come back from their 16-byte form exactly as they went in.
@Suite struct TaskResultsTests {
    @Test(arguments: [0, 1, 2, 10])
    func namesComeBack(count: Int) {
        let names = (0..<count).map { i in
            ResultImage.Name(
                spec: ImageSpec(
                    width: 512 + i,
                    height: 1536,
                    format: ImageFormat.allCases[i % 3],
                    seed: UInt64.max - UInt64(i),
                    quality: i % 2 == 0 ? nil : 80 + i
                ),
                derived: i % 3 == 1
            )
        }
        let back = TaskStore.Results(names).names
        #expect(back.map(\.text) == names.map(\.text))
        #expect(back.map(\.spec) == names.map(\.spec))
    }

    /// A name the 16-byte form cannot hold is kept as it is.
    @Test func anOversizeNameIsKeptAsItIs() {
        let names = [
            ResultImage.Name(spec: ImageSpec(width: 70_000, height: 2, format: .png, seed: 1)),
            ResultImage.Name(spec: ImageSpec(width: 2, height: 2, format: .webp, seed: 2, quality: 100)),
        ]
        #expect(TaskStore.Results(names).names.map(\.spec) == names.map(\.spec))
    }
}
