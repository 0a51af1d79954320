/// How a task moves from `pending` to its terminal status.
///
/// Text form (CLI `--task-policy`, catalog, control API):
/// `instant` · `polls:P,R` (pending for P status reads, processing for R more) ·
/// `duration:P,R` (seconds pending, seconds processing) · any of those `+fail:REASON`
/// (ends `failed` instead; REASON `content_policy`, `upstream`, `timeout`).
public struct TaskPolicy: Sendable, Equatable, CustomStringConvertible {
    public enum Timeline: Sendable, Equatable {
        case instant
        case polls(pending: Int, processing: Int)
        case duration(pending: Double, processing: Double)
    }

    public enum Failure: String, Sendable, CaseIterable {
        case contentPolicy = "content_policy"
        case upstream
        case timeout

        /// The `error` of the failed task (TokenLab's examples use strings, docs/tokenlab.md §4.3).
        public var message: String {
            switch self {
            case .contentPolicy: "Content policy violation"
            case .upstream: "Upstream provider failed to generate the image"
            case .timeout: "Generation timed out"
            }
        }

        /// `error_details` of the failed task (docs/tokenlab.md §4.5: `status` is the business
        /// error's status). ASSUMED: the status, type and code of each reason; TokenLab shows only
        /// a 400 example with `param: "size"`.
        public var details: JSONValue {
            switch self {
            case .contentPolicy:
                [
                    "status": 400, "type": .string(ErrorType.invalidRequest), "code": "content_policy_violation",
                    "message": .string(message), "retryable": false,
                ]
            case .upstream:
                [
                    "status": 502, "type": .string(ErrorType.upstream), "code": .string(ErrorCode.upstreamError), "message": .string(message),
                    "retryable": true,
                ]
            case .timeout:
                [
                    "status": 504, "type": .string(ErrorType.timeout), "code": .string(ErrorCode.timeout), "message": .string(message),
                    "retryable": true,
                ]
            }
        }
    }

    public var timeline: Timeline
    public var failure: Failure?

    public init(_ timeline: Timeline, failure: Failure? = nil) {
        self.timeline = timeline
        self.failure = failure
    }

    /// Realistic but fast: one second queued, two running (TokenLab's real tasks take 30–120 s).
    public static let `default` = TaskPolicy(.duration(pending: 1, processing: 2))

    public init?(parsing text: String) {
        var parts = text.split(separator: "+", maxSplits: 1).map(String.init)
        var failure: Failure?
        if parts.count == 2 {
            guard parts[1].hasPrefix("fail:"), let f = Failure(rawValue: String(parts[1].dropFirst(5))) else { return nil }
            failure = f
            parts.removeLast()
        }
        let head = parts.first ?? ""
        if head == "instant" {
            self.init(.instant, failure: failure)
            return
        }
        let kv = head.split(separator: ":", maxSplits: 1)
        guard kv.count == 2 else { return nil }
        let nums = kv[1].split(separator: ",").map(String.init)
        guard nums.count == 2 else { return nil }
        switch kv[0] {
        case "polls":
            guard let p = Int(nums[0]), let r = Int(nums[1]), (0...1_000_000).contains(p), (0...1_000_000).contains(r) else { return nil }
            self.init(.polls(pending: p, processing: r), failure: failure)
        case "duration":
            guard let p = Double(nums[0]), let r = Double(nums[1]), (0...31_536_000).contains(p), (0...31_536_000).contains(r) else { return nil }
            self.init(.duration(pending: p, processing: r), failure: failure)
        default: return nil
        }
    }

    public var description: String {
        let head =
            switch timeline {
            case .instant: "instant"
            case .polls(let p, let r): "polls:\(p),\(r)"
            case .duration(let p, let r): "duration:\(p.compactText),\(r.compactText)"
            }
        return failure.map { head + "+fail:" + $0.rawValue } ?? head
    }

    /// The status after `reads` status reads and `elapsed` seconds.
    public func status(reads: Int, elapsed: Double) -> TaskStatus {
        let terminal: TaskStatus = failure == nil ? .completed : .failed
        switch timeline {
        case .instant: return terminal
        case .polls(let p, let r): return reads < p ? .pending : reads < p + r ? .processing : terminal
        case .duration(let p, let r): return elapsed < p ? .pending : elapsed < p + r ? .processing : terminal
        }
    }
}

/// The statuses the fake's tasks move through. Which statuses end a task, for any client's
/// traffic, is `TaskStatusText`'s to say.
public enum TaskStatus: String, Sendable {
    case pending, processing, completed, failed
}
