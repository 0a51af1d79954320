import Foundation

/// Wall-clock time in seconds since 1970, injected so task timelines can be driven by tests.
public protocol WallClock: Sendable {
    func now() -> Double
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}
