/// A stable 64-bit hash (FNV-1a folded through SplitMix64): the same input gives the same value
/// on every run and platform, unlike `Hasher`. Seeds ids and image content.
public struct StableHash: Sendable {
    public private(set) var state: UInt64 = 0xCBF2_9CE4_8422_2325

    public init(seed: UInt64 = 0) { combine(seed) }

    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            state ^= UInt64(b)
            state = state &* 0x0000_0100_0000_01B3
        }
        state ^= 0xFF  // field separator
        state = state &* 0x0000_0100_0000_01B3
    }

    public mutating func combine(_ s: String) { combine(s.utf8) }

    public mutating func combine(_ v: UInt64) {
        combine((0..<8).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) })
    }

    public var value: UInt64 { SplitMix64.mix(state) }
}

/// SplitMix64: a tiny, fast, seeded generator.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    public static func mix(_ z: UInt64) -> UInt64 {
        var z = z
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
