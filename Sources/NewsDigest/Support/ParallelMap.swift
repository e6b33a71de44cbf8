import Dispatch

/// Runs a pure function over many inputs on `workers` threads and keeps the results in input
/// order, so the decisions taken afterwards do not depend on which worker finished first.
/// The core's one use of threads: analysis, back-fills and summaries are pure per item.
public enum ParallelMap {
    public static func map<T: Sendable, R: Sendable>(_ items: [T], workers: Int, _ transform: @Sendable (T) -> R) -> [R]
    {
        guard items.count > 1, workers > 1 else { return items.map(transform) }
        let slots = Slots<R>(count: items.count)
        let stripes = min(workers, items.count)
        DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
            var i = stripe
            while i < items.count {
                slots.set(i, transform(items[i]))
                i += stripes
            }
        }
        return slots.values()
    }

    /// Each index is written by exactly one worker and read only after all have finished,
    /// which `concurrentPerform` guarantees; that is what makes the unchecked Sendable sound.
    private final class Slots<R>: @unchecked Sendable {
        // A raw buffer, not an array property: concurrent writes to distinct elements of a
        // class's array would trip Swift's exclusivity checks.
        private let storage: UnsafeMutablePointer<R?>
        private let count: Int
        init(count: Int) {
            self.count = count
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil, count: count)
        }
        deinit {
            storage.deinitialize(count: count)
            storage.deallocate()
        }
        func set(_ i: Int, _ value: R) { storage[i] = value }
        func values() -> [R] { (0..<count).map { storage[$0]! } }
    }
}
