import Foundation

/// Results of work done out of order, taken back in order: result `i` waits in slot
/// `i % window` until every earlier one is taken. Not locked itself: its owner touches it under
/// the `NSCondition` it passes in, which every `put` broadcasts on.
struct OrderedSlots<Result> {
    let window: Int
    private var slots: [Result?]
    /// How many results have been taken (the index of the next one).
    private(set) var taken = 0

    init(window: Int) {
        self.window = max(1, window)
        slots = Array(repeating: nil, count: self.window)
    }

    mutating func put(_ i: Int, _ result: Result) {
        slots[i % window] = result
    }

    /// The next result in order, waiting on `condition` (held by the caller) until it is there.
    mutating func takeNext(waitingOn condition: NSCondition) -> Result {
        let slot = taken % window
        while slots[slot] == nil { condition.wait() }
        let result = slots[slot]!
        slots[slot] = nil
        taken += 1
        condition.broadcast()
        return result
    }
}
