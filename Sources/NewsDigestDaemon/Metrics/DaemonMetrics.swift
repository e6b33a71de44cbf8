import Dispatch
import NewsDigest

/// The running daemon's figures since it started, for the metrics file: counted where they
/// happen (the store's owner, the digest writer, the watcher), read when the file is written.
/// Counters only go up; a restart starts them again from 0, as Prometheus expects of counters.
public final class DaemonMetrics: Sendable {
    /// Upper bounds of the digest-write histogram's buckets, in seconds: a small day writes in
    /// milliseconds, a 100k-file day in flood in ten seconds or more.
    public static let writeBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    public struct Figures: Sendable {
        public var files = Committer.Report()
        public var digestWrites = 0
        public var digestWriteFailures = 0
        /// Writes per bucket of `writeBuckets` (not cumulative), the last for longer ones.
        public var writeBucketCounts = [Int](repeating: 0, count: DaemonMetrics.writeBuckets.count + 1)
        public var writeSecondsSum = 0.0
        public var inotifyOverflows = 0
        /// Seconds since the epoch of the last successful digest write; nil before the first.
        public var lastDigestWrite: Double?
        /// Bumped by every change: the file writer writes again only when it moved.
        public var generation = 0
    }

    private let figures = Locked(Figures())

    public init() {}

    public var value: Figures { figures.value }

    public func committed(_ report: Committer.Report) {
        figures.mutate {
            $0.files.add(report)
            $0.files.days = []  // not a figure; kept empty so it never grows
            $0.generation += 1
        }
    }

    public func digestWritten(seconds: Double, at time: Double) {
        figures.mutate {
            $0.digestWrites += 1
            let bucket = Self.writeBuckets.firstIndex { seconds <= $0 } ?? Self.writeBuckets.count
            $0.writeBucketCounts[bucket] += 1
            $0.writeSecondsSum += seconds
            $0.lastDigestWrite = time
            $0.generation += 1
        }
    }

    public func digestFailed() {
        figures.mutate {
            $0.digestWriteFailures += 1
            $0.generation += 1
        }
    }

    public func inotifyOverflowed() {
        figures.mutate {
            $0.inotifyOverflows += 1
            $0.generation += 1
        }
    }
}
