import NewsDigestDaemon
import Testing

@Suite struct IngestQueueTests {
    @Test func aPathIsQueuedOnceUntilFinished() {
        let q = IngestQueue(capacity: 8, workers: 1)
        #expect(q.offer(RelativePath("a")) == .queued(startWorker: true))
        #expect(q.offer(RelativePath("a")) == .alreadyQueued)
        #expect(q.take()?.path == RelativePath("a"))
        #expect(q.offer(RelativePath("a")) == .alreadyQueued, "in flight is still a member")
        q.finished(RelativePath("a"))
        #expect(q.offer(RelativePath("a")) == .queued(startWorker: false), "the worker is still running")
    }

    @Test func workersStartUpToThePoolSizeAndRetireWhenEmpty() {
        let q = IngestQueue(capacity: 8, workers: 2)
        #expect(q.offer(RelativePath("a")) == .queued(startWorker: true))
        #expect(q.offer(RelativePath("b")) == .queued(startWorker: true))
        #expect(q.offer(RelativePath("c")) == .queued(startWorker: false))
        #expect(q.busyWorkers == 2)
        #expect(q.take() != nil)
        #expect(q.take() != nil)
        #expect(q.take() != nil)
        #expect(q.take() == nil, "empty: this worker retires")
        #expect(q.busyWorkers == 1)
        #expect(q.offer(RelativePath("d")) == .queued(startWorker: true))
    }

    @Test func aFullQueueRefusesAndAsksForARescanOnceThereIsRoom() {
        let q = IngestQueue(capacity: 4, workers: 1)
        for p in ["a", "b", "c", "d"] { _ = q.offer(RelativePath(p)) }
        #expect(q.offer(RelativePath("e")) == .full)
        #expect(!q.takeRescanDue(), "no room yet")
        for _ in 0..<3 { if let t = q.take() { q.finished(t.path) } }
        #expect(q.takeRescanDue())
        #expect(!q.takeRescanDue(), "asked once per refusal")
    }

    @Test func closeDropsWaitingPathsAndStopsWork() {
        let q = IngestQueue(capacity: 4, workers: 1)
        _ = q.offer(RelativePath("a"))
        _ = q.offer(RelativePath("b"))
        q.close()
        #expect(q.take() == nil)
        #expect(q.count == 0)
        #expect(q.offer(RelativePath("c")) == .closed)
    }
}
