import Dispatch
import Foundation

/// Paths waiting for a worker, bounded, each at most once. A path stays a member from the
/// moment it is offered until its commit is done, so a burst of events for one file (or an
/// event and a scan that both saw it) gives one piece of work.
///
/// It also counts the workers draining it: `offer` says when to start one, and `take` retires
/// one under the same lock when nothing is left, so no path is ever left without a worker.
public final class IngestQueue: @unchecked Sendable {
    public enum Offer: Equatable {
        case queued(startWorker: Bool)
        case alreadyQueued
        /// Full: the path was not taken; a later scan of the folder will find it.
        case full
        case closed
    }

    private let lock = NSLock()
    private var waiting: [RelativePath] = []
    private var head = 0
    /// Each member path, with when it was offered (monotonic ns): the metrics' oldest wait.
    private var members: [RelativePath: UInt64] = [:]
    private var running = 0
    private var closed = false
    private var paused = false
    public private(set) var capacity: Int
    private var workers: Int
    /// Set when an offer was refused: the folder holds files the queue does not know about.
    private var refused = false

    public init(capacity: Int, workers: Int) {
        self.capacity = max(1, capacity)
        self.workers = max(1, workers)
    }

    public func offer(_ path: RelativePath, now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Offer {
        lock.withLock {
            if closed { return .closed }
            if members[path] != nil { return .alreadyQueued }
            if members.count >= capacity {
                refused = true
                return .full
            }
            members[path] = now
            waiting.append(path)
            if running < workers && !paused {
                running += 1
                return .queued(startWorker: true)
            }
            return .queued(startWorker: false)
        }
    }

    /// A path handed to a worker, numbered in the order paths are handed out (from 0, no gaps):
    /// the order in which their analyses are committed.
    public struct Taken: Equatable, Sendable {
        public let path: RelativePath
        public let ticket: UInt64
    }
    private var tickets: UInt64 = 0

    /// The next path for a worker, or nil, in which case the calling worker is retired.
    public func take() -> Taken? {
        lock.withLock {
            if closed || paused || head == waiting.count || running > workers {
                running -= 1
                return nil
            }
            let path = Taken(path: waiting[head], ticket: tickets)
            tickets += 1
            head += 1
            if head > 1024 && head * 2 > waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
            return path
        }
    }

    /// The path's work is over (committed, or found not to be an input).
    public func finished(_ path: RelativePath) {
        lock.withLock { _ = members.removeValue(forKey: path) }
    }

    /// When a refused offer left files unseen and there is room again: the caller should scan.
    public func takeRescanDue() -> Bool {
        lock.withLock {
            guard refused, !closed, members.count <= capacity / 2 else { return false }
            refused = false
            return true
        }
    }

    /// Workers to start after a change of the pool size (0 when it shrank: extra workers retire
    /// at their next take).
    public func setWorkers(_ n: Int) -> Int {
        lock.withLock {
            workers = max(1, n)
            if paused { return 0 }
            let start = max(0, min(workers - running, waiting.count - head))
            running += start
            return start
        }
    }

    /// Stops handing out work for now (the store cannot take it): paths still come in, up to
    /// the capacity, and wait; workers retire at their next take.
    public func pause() {
        lock.withLock { paused = true }
    }

    /// Hands out work again; returns the workers to start for what waited meanwhile.
    public func resume() -> Int {
        lock.withLock {
            paused = false
            let start = max(0, min(workers - running, waiting.count - head))
            running += start
            return start
        }
    }

    /// Stops handing out work; paths still waiting stay in the drop folder for the next start.
    public func close() {
        lock.withLock {
            closed = true
            for p in waiting[head...] { members.removeValue(forKey: p) }
            waiting = []
            head = 0
        }
    }

    public var busyWorkers: Int { lock.withLock { running } }

    /// How long the path offered first of those still in hand has waited, in seconds (0 when
    /// none): a walk over at most `capacity` entries, done when the metrics are written.
    public func oldestWait(now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Double {
        lock.withLock {
            guard let first = members.values.min() else { return 0 }
            return Double(now &- first) / 1e9
        }
    }
    public var count: Int { lock.withLock { members.count } }
}
