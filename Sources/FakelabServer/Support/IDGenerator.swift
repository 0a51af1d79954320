import FakelabAPI
import Synchronization

/// Seeded ids: the n-th id of a kind is the same on every run with the same seed.
final class IDGenerator: Sendable {
    private let seed: UInt64
    private let counter = Atomic<UInt64>(0)

    init(seed: UInt64) { self.seed = seed }

    /// How many ids were handed out: moves on every request (`IdleHeapTrim` watches it).
    var issued: UInt64 { counter.load(ordering: .relaxed) }

    private func next() -> UInt64 {
        let n = counter.add(1, ordering: .relaxed).newValue
        return SplitMix64.mix(seed &+ n &* 0x9E37_79B9_7F4A_7C15)
    }

    /// `req_` + a ULID: the arrival time (ms) and 80 seeded bits.
    func requestID(now: Double) -> String {
        let bits = next()
        return ULID.string(milliseconds: UInt64(max(0, now) * 1000), high: UInt16(truncatingIfNeeded: bits >> 48), low: next(), prefix: "req_")
    }
    /// TokenLab's billing transaction id (`BillingID`) and a task id (`TaskID`): seeded bits.
    func billingID() -> BillingID { BillingID(value: next()) }
    func taskID() -> TaskID {
        let high = next()
        return TaskID(high: high, low: next())
    }
    func fileID() -> String { "file_" + Hex.string(next(), digits: 24) }
}

enum Base36 {
    private static let digits: [UInt8] = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// `count` lowercase base-36 digits from `value`, 12 per 64-bit chunk (more chunks mixed from `value`).
    static func string(_ value: UInt64, digits count: Int, prefix: StaticString = "") -> String {
        // Written into the string's own storage: one allocation (a billing id per generation).
        StringWriter.string(capacity: prefix.utf8CodeUnitCount + count) { out in
            out.write(prefix)
            digits.withUnsafeBufferPointer { digits in
                var left = count
                var chunk = value
                while left > 0 {
                    let take = min(12, left)
                    var n = chunk
                    for _ in 0..<take {
                        out.write(digits[Int(n % 36)])
                        n /= 36
                    }
                    left -= take
                    chunk = SplitMix64.mix(chunk)
                }
            }
        }
    }
}
