extension Double {
    /// A whole number small enough (|value| < 10^15) to be written exactly as an `Int`.
    var isCompactInteger: Bool { isFinite && self == rounded() && abs(self) < 1e15 }

    /// The value without a needless fraction: `2` for 2.0, `0.5` for 0.5, `inf`, `nan`. Used for
    /// JSON numbers and for numbers in messages and policy text, so both read the same.
    var compactText: String { isCompactInteger ? String(Int(self)) : String(self) }
}
