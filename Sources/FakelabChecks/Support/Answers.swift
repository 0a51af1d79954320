import FakelabAPI

/// How an answer ended, for the retry and task rules. Fault names are `FaultSpec` names.
enum Answers {
    /// Faults that cut or stall the answer, so the client may not know whether its request took
    /// effect (a create may have made a task it never heard of).
    static let cutFaults: Set<String> = ["delay", "hang", "reset", "truncate", "dribble", "empty_reply", "malformed_json"]
    /// Faults that spoil an answer that may still carry a 2xx status.
    static let spoilingFaults: Set<String> = cutFaults.union(["wrong_content_type"])
    /// Statuses that say "do not send this again as it is" (TokenLab's guide: fix the request,
    /// the key or the balance first).
    static let nonRetryableStatuses: Set<Int> = [400, 401, 402, 403, 404, 413]
    /// Statuses that invite a retry (with the envelope's `retryable` unset): 408, 425, 429, 5xx.
    static let retryableStatuses: Set<Int> = [408, 425, 429]
    /// 499: the client closed the connection before the answer (nginx's convention).
    static let clientClosed = 499
}

extension JournalEntry {
    /// No answer, a 499, or a fault that cut or stalled it.
    var answerWasCut: Bool { status == nil || status == Answers.clientClosed || fault.map(Answers.cutFaults.contains) == true }

    /// Not a clean answer: none, an error status, or a spoiling fault.
    var answerFailed: Bool {
        guard let status else { return true }
        return status >= 400 || fault.map(Answers.spoilingFaults.contains) == true
    }

    /// An error the client must not send again unchanged: `error.retryable == false`, or a
    /// 400/401/402/403/404/413 whose envelope does not say it is retryable.
    var answerIsNonRetryable: Bool {
        if error?.retryable == false { return true }
        guard let status, Answers.nonRetryableStatuses.contains(status) else { return false }
        return error?.retryable != true
    }

    /// A failure a client may retry after waiting (TokenLab's clients: `error.retryable`, else
    /// 408, 425, 429 or 5xx): cut answers, spoiled answers, and those statuses.
    var answerIsRetryable: Bool {
        guard answerFailed, !answerIsNonRetryable else { return false }
        if answerWasCut || error?.retryable == true || fault.map(Answers.spoilingFaults.contains) == true { return true }
        guard let status else { return true }
        return status >= 500 || Answers.retryableStatuses.contains(status)
    }
}

/// Requests grouped by fingerprint, and the runs of tries in each.
enum Retries {
    /// Tries of one request: the same fingerprint sent again while every earlier try in the run
    /// had failed (`answerFailed`). A clean answer ends the run, so polling a task or sending the
    /// same prompt twice on purpose is not a retry. Only runs of two or more tries, by first seq.
    static func chains(_ journal: [JournalEntry]) -> [[JournalEntry]] {
        var open: [String: [JournalEntry]] = [:]
        var done: [[JournalEntry]] = []
        for entry in journal {
            if var chain = open[entry.fingerprint], chain.last!.answerFailed {
                chain.append(entry)
                open[entry.fingerprint] = chain
            } else {
                if let chain = open[entry.fingerprint], chain.count > 1 { done.append(chain) }
                open[entry.fingerprint] = [entry]
            }
        }
        done += open.values.filter { $0.count > 1 }
        return done.sorted { $0[0].seq < $1[0].seq }
    }

    /// A try sent sooner after an answer than that answer's `retry_after` allowed.
    struct EarlyRetry {
        let previous: JournalEntry
        let next: JournalEntry
        /// Seconds from the previous answer to the next try.
        let waited: Double
        let asked: Double
    }

    /// Slack for clocks and scheduling: 50 ms or 5 % of the wait asked, whichever is more.
    static func slack(_ asked: Double) -> Double { max(0.05, 0.05 * asked) }

    /// Every consecutive pair of one fingerprint where the first answer asked for `retry_after`
    /// seconds and the second came sooner (measured from the end of the answer, minus slack).
    static func early(_ journal: [JournalEntry]) -> [EarlyRetry] {
        var last: [String: JournalEntry] = [:]
        var out: [EarlyRetry] = []
        for entry in journal {
            if let previous = last[entry.fingerprint], let asked = previous.retryAfter, asked > 0 {
                let waited = entry.time - previous.answeredAt
                if waited + slack(asked) < asked { out.append(EarlyRetry(previous: previous, next: entry, waited: waited, asked: asked)) }
            }
            last[entry.fingerprint] = entry
        }
        return out
    }
}
