import Foundation
import NewsDigestDaemon
import Testing

@Suite struct OrderedPipelineTests {
    @Test func resultsComeBackInOrderWhateverFinishesFirst() {
        // Later items finish sooner: a pipeline that handed results over as they finished
        // would give them reversed.
        let items = Array(0..<40)
        let pipeline = OrderedPipeline(items, workers: 4, window: 8) { i -> Int in
            usleep(UInt32((40 - i) * 200))
            return i * 10
        }
        var got: [Int] = []
        while got.count < pipeline.count { got += pipeline.take(7) }
        #expect(got == items.map { $0 * 10 })
        #expect(pipeline.take(5).isEmpty, "nothing after the end")
    }

    @Test func workersStayWithinTheWindowOfWhatWasTaken() {
        let started = Started()
        let pipeline = OrderedPipeline(Array(0..<30), workers: 3, window: 5) { i -> Int in
            started.add(i)
            return i
        }
        var taken = 0
        while taken < pipeline.count {
            // Give the workers time to run ahead as far as they may.
            usleep(20_000)
            #expect(started.highest < taken + 5, "started \(started.highest) with \(taken) taken")
            taken += pipeline.take(2).count
        }
        #expect(started.count == 30)
    }

    @Test func stopLetsTheWorkersGoWithoutTakingTheRest() {
        let started = Started()
        let pipeline = OrderedPipeline(Array(0..<100), workers: 2, window: 4) { i -> Int in
            started.add(i)
            return i
        }
        #expect(pipeline.take(3) == [0, 1, 2])
        pipeline.stop()
        usleep(50_000)
        #expect(started.count <= 3 + 4, "no item claimed after stop beyond the window")
    }
}

/// Which items a transform has started, across worker threads.
private final class Started: @unchecked Sendable {
    private let lock = NSLock()
    private var items: Set<Int> = []
    func add(_ i: Int) { lock.withLock { _ = items.insert(i) } }
    var highest: Int { lock.withLock { items.max() ?? -1 } }
    var count: Int { lock.withLock { items.count } }
}
