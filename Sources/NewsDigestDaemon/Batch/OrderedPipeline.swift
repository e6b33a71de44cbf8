import Foundation

/// Items transformed on `workers` threads and handed back in their order, at most `window`
/// ahead of the consumer.
///
/// `once` commits serially and analyses in parallel. Analysing one group while the previous
/// commits left both sides waiting for the slower at every group: on two cores a quarter of
/// the run was idle. Here workers go on to the next file as soon as they finish one, and the
/// committer takes results as they come, so both stay busy; the window bounds the analysed
/// articles held in memory (about 20 KB each).
public final class OrderedPipeline<Item: Sendable, Result: Sendable>: @unchecked Sendable {
    // Every field below is read and written under `condition` only: that is what makes the
    // unchecked Sendable sound.
    private let condition = NSCondition()
    private let items: [Item]
    private var claimed = 0
    /// Results not yet taken.
    private var ready: OrderedSlots<Result>
    private var window: Int { ready.window }
    private var taken: Int { ready.taken }
    private var stopped = false

    public init(_ items: [Item], workers: Int, window: Int, _ transform: @escaping @Sendable (Item) -> Result) {
        self.items = items
        ready = OrderedSlots(window: window)
        let threads = max(1, min(workers, items.count))
        for _ in 0..<threads {
            // Threads of their own, less urgent than the committer (WorkerPriority).
            let thread = Thread { [self] in
                WorkerPriority.lowerCurrentThread()
                while let i = claim() {
                    let result = transform(items[i])
                    condition.withLock {
                        ready.put(i, result)
                        condition.broadcast()
                    }
                }
            }
            thread.start()
        }
    }

    public var count: Int { items.count }

    /// The next index to transform, once it is within the window; nil when all are claimed.
    private func claim() -> Int? {
        condition.withLock {
            while !stopped && claimed < items.count && claimed >= taken + window { condition.wait() }
            guard !stopped && claimed < items.count else { return nil }
            claimed += 1
            return claimed - 1
        }
    }

    /// Lets the workers go when the consumer gives up early (a commit failed): they finish
    /// the item in hand and claim no more.
    public func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    /// The next `n` results in order (fewer at the end), waiting for each.
    public func take(_ n: Int) -> [Result] {
        var out: [Result] = []
        out.reserveCapacity(n)
        condition.withLock {
            while out.count < n && taken < items.count {
                out.append(ready.takeNext(waitingOn: condition))
            }
        }
        return out
    }
}
