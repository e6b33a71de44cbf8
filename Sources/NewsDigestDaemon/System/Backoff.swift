/// Waits between tries of something that failed: doubling from `first` up to `limit`. The one
/// retry policy of the daemon (a store that refuses writes, moves out of the drop folder,
/// digest writes), kept as a value so that its sequence is a unit test, not a wait on a log line.
public struct Backoff: Sendable, Equatable {
    public let first: Double
    public let limit: Double
    private var upcoming: Double

    public init(first: Double, limit: Double) {
        precondition(first > 0 && limit >= first)
        self.first = first
        self.limit = limit
        upcoming = first
    }

    /// Seconds to wait before the next try; the one after it is twice as long, up to `limit`.
    public mutating func next() -> Double {
        defer { upcoming = min(limit, upcoming * 2) }
        return upcoming
    }

    /// After a success: the next failure starts from `first` again.
    public mutating func reset() { upcoming = first }

    /// The store refused a commit (disk full, read-only): looked at again soon, then every 30 s.
    public static let store = Backoff(first: 1, limit: 30)
    /// A committed file could not be moved out of the drop folder.
    public static let moves = Backoff(first: 2, limit: 60)
    /// A digest could not be written (a read-only or vanished folder): at most once a minute,
    /// so a folder that stays broken logs once a minute.
    public static let digests = Backoff(first: 2, limit: 60)
}
