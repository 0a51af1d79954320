import Foundation
import Synchronization

/// Wall-clock time in seconds since 1970, injected so task timelines can be driven by tests.
public protocol WallClock: Sendable {
    func now() -> Double
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that moves only when told to (tests, and `POST /__fakelab/clock/advance`).
public final class ManualWallClock: WallClock {
    private let time: Mutex<Double>

    public init(start: Double = 1_767_225_600) { time = Mutex(start) }

    public func now() -> Double { time.withLock { $0 } }

    public func advance(by seconds: Double) { time.withLock { $0 += seconds } }
}
