/// A stable 64-bit hash (FNV-1a folded through SplitMix64): the same input gives the same value
/// on every run and platform, unlike `Hasher`. Seeds ids and image content.
public struct StableHash: Sendable {
    public private(set) var state: UInt64 = 0xCBF2_9CE4_8422_2325

    public init(seed: UInt64 = 0) { combine(seed) }

    public mutating func combine(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { combine($0) }
    }

    static let prime: UInt64 = 0x0000_0100_0000_01B3

    public mutating func combine(_ bytes: UnsafeBufferPointer<UInt8>) {
        var h = state
        for b in bytes {
            h ^= UInt64(b)
            h = h &* Self.prime
        }
        end(at: h)
    }

    /// Takes `h`, the state after a field's bytes, and ends the field.
    mutating func end(at h: UInt64) {
        state = h ^ 0xFF  // field separator
        state = state &* Self.prime
    }

    public mutating func combine(_ s: String) {
        var s = s
        s.withUTF8 { combine($0) }
    }

    public mutating func combine(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { combine($0.bindMemory(to: UInt8.self)) }
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
