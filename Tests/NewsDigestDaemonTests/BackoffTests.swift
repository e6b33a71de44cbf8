import Testing

@testable import NewsDigestDaemon

/// The daemon's retry and debounce rules, as values: no waiting, no log lines.
@Suite struct BackoffTests {
    static func sequence(_ b: Backoff, _ n: Int) -> [Double] {
        var b = b
        return (0..<n).map { _ in b.next() }
    }

    @Test func theStoreIsTriedAgainSoonThenEveryThirtySeconds() {
        #expect(Self.sequence(.store, 8) == [1, 2, 4, 8, 16, 30, 30, 30])
    }

    @Test func movesAndDigestsBackOffToOnceAMinute() {
        #expect(Self.sequence(.moves, 7) == [2, 4, 8, 16, 32, 60, 60])
        #expect(Self.sequence(.digests, 7) == [2, 4, 8, 16, 32, 60, 60])
    }

    @Test func aSuccessStartsTheNextFailureFromTheFirstWait() {
        var b = Backoff.digests
        _ = b.next()
        _ = b.next()
        _ = b.next()
        b.reset()
        #expect(b.next() == 2)
        #expect(b.next() == 4)
    }

    @Test func aRewriteWaitsTheDelayOrTwiceTheLastWriteWhicheverIsLonger() {
        #expect(DigestWriter.debounce(delay: 0.25, lastWrite: 0) == 0.25)
        #expect(DigestWriter.debounce(delay: 0.25, lastWrite: 0.1) == 0.25)
        #expect(DigestWriter.debounce(delay: 0.25, lastWrite: 0.8) == 1.6)
        #expect(DigestWriter.debounce(delay: 0, lastWrite: 0.5) == 1.0)
    }
}
