import Foundation

/// Puts the intake workers' results back in the order their paths were taken from the queue.
///
/// Workers finish in whatever order their files take to read and analyse; committed in that
/// order, two files dropped together (the same text under two names, say) were decided either
/// way round from run to run, and the same drops in the same order could give different
/// digests. Each ticket the queue hands out is completed here exactly once, with the analysed
/// file or with nothing (the path was gone, not a file, or offered again later), and results
/// go on only once every earlier ticket is done.
///
/// The wait is bounded: the intake takes a place among the files analysed ahead before it
/// takes a ticket, so every ticket waited on belongs to a worker that is busy with it, never
/// one waiting for a place held by the results queued behind it.
public final class ArrivalOrder<Item>: @unchecked Sendable {
    // `next` and `done` are touched under `lock` only.
    private let lock = NSLock()
    private var next: UInt64 = 0
    /// Completed tickets after the first still open, with their result (nil: nothing to pass on).
    private var done: [UInt64: Item?] = [:]

    public init() {}

    /// Completes `ticket` and passes on, in ticket order, every result no earlier ticket holds
    /// back. `deliver` runs under the lock, so deliveries never overtake one another.
    public func complete(_ ticket: UInt64, with item: Item?, deliver: (Item) -> Void) {
        lock.withLock {
            precondition(ticket >= next && done[ticket] == nil, "ticket \(ticket) completed twice")
            done[ticket] = .some(item)
            while let entry = done.removeValue(forKey: next) {
                next += 1
                if let item = entry { deliver(item) }
            }
        }
    }

    /// Tickets completed but held back by an earlier one still open.
    public var heldBack: Int { lock.withLock { done.count } }
}
