import FakelabServer
import Synchronization

/// A clock that moves only when a test tells it to. (`POST /__fakelab/clock/advance` moves a
/// key's clock offset instead.)
public final class ManualWallClock: WallClock {
    private let time: Mutex<Double>

    public init(start: Double = 1_767_225_600) { time = Mutex(start) }

    public func now() -> Double { time.withLock { $0 } }

    public func advance(by seconds: Double) { time.withLock { $0 += seconds } }
}
