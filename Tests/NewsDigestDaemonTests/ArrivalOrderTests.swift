import Dispatch
import NewsDigestDaemon
import Testing

@Suite struct ArrivalOrderTests {
    @Test func resultsGoOnInTicketOrderWhateverOrderTheyFinish() {
        let order = ArrivalOrder<Int>()
        var delivered: [Int] = []
        order.complete(2, with: 20) { delivered.append($0) }
        order.complete(1, with: nil) { delivered.append($0) }
        #expect(delivered.isEmpty, "ticket 0 is still open")
        #expect(order.heldBack == 2)
        order.complete(0, with: 0) { delivered.append($0) }
        #expect(delivered == [0, 20], "ticket 1 had nothing to pass on")
        #expect(order.heldBack == 0)
        order.complete(3, with: 30) { delivered.append($0) }
        #expect(delivered == [0, 20, 30])
    }

    @Test func manyThreadsCompletingAtOnceDeliverEachOnceInOrder() {
        let order = ArrivalOrder<Int>()
        let n = 20_000
        // A permutation that is far from the ticket order, and each eighth ticket empty.
        var tickets = Array(0..<n)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in stride(from: n - 1, to: 0, by: -1) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            tickets.swapAt(i, Int(state >> 33) % (i + 1))
        }
        let delivered = Delivered()
        let shuffled = tickets
        DispatchQueue.concurrentPerform(iterations: 4) { part in
            for t in stride(from: part, to: n, by: 4) {
                let ticket = shuffled[t]
                // `deliver` runs under the order's lock: no other lock is needed here.
                order.complete(UInt64(ticket), with: ticket % 8 == 0 ? nil : ticket) { delivered.items.append($0) }
            }
        }
        let expected = (0..<n).filter { $0 % 8 != 0 }
        #expect(delivered.items == expected)
        #expect(order.heldBack == 0)
    }
}

/// What the order passed on; appended to only by `deliver`, which runs under the order's lock.
private final class Delivered: @unchecked Sendable {
    var items: [Int] = []
}
