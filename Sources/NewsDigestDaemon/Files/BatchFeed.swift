import Foundation
import NewsDigest

/// A batch file's records read and analysed on worker threads while the committer commits the
/// ones before: analysing a chunk and then committing it, in turn, left one side idle at every
/// chunk (a 10k-record batch took 9.2 s against 5.9 s for the same articles as files). At most
/// `window` records are analysed ahead of the commits, and they come out in the file's order.
final class BatchFeed: @unchecked Sendable {
    /// What a worker made of one record: analysed, or skipped (committed by an earlier run).
    enum Item: Sendable {
        case analysed(Analyzed)
        case skipped(Int)

        var number: Int {
            switch self {
            case .analysed(let a): a.record
            case .skipped(let n): n
            }
        }
    }

    // Every field below is touched under `condition` only (the file is read under it too):
    // that is what makes the unchecked Sendable sound.
    private let condition = NSCondition()
    private let file: BatchFile
    private var pending: [BatchSplitter.Piece] = []
    private var claimed = 0
    private var ended = false
    private var stopped = false
    private var running = 0
    private var ready: OrderedSlots<Item>
    private var window: Int { ready.window }
    private var taken: Int { ready.taken }
    /// Set when the file could not be read to its end.
    private var readFailure: Rejection?
    /// Records cut from the file so far (skipped ones included).
    private var cut = 0

    init(
        _ file: BatchFile, workers: Int, window: Int, resumeAfter: Int,
        analyze: @escaping @Sendable (BatchSplitter.Piece) -> Analyzed
    ) {
        self.file = file
        ready = OrderedSlots(window: window)
        running = max(1, workers)
        for _ in 0..<running {
            let thread = Thread { [self] in
                WorkerPriority.lowerCurrentThread()
                while let (i, piece) = claim() {
                    let item: Item = piece.number > resumeAfter ? .analysed(analyze(piece)) : .skipped(piece.number)
                    condition.withLock {
                        ready.put(i, item)
                        condition.broadcast()
                    }
                }
            }
            thread.start()
        }
    }

    /// The next record to analyse, once it is within the window; nil at the end (or stop).
    private func claim() -> (Int, BatchSplitter.Piece)? {
        condition.withLock {
            while !stopped && !ended && claimed >= taken + window { condition.wait() }
            if !stopped && !ended && pending.isEmpty {
                switch file.next(16) {
                case .success(let pieces):
                    pending = pieces
                    cut += pieces.count
                case .failure(let rejection):
                    readFailure = rejection
                }
                if pending.isEmpty { ended = true }
            }
            guard !stopped && !ended else {
                running -= 1
                condition.broadcast()
                return nil
            }
            claimed += 1
            return (claimed - 1, pending.removeFirst())
        }
    }

    /// The next `n` items in order, waiting for each; fewer (or none) only at the end.
    func take(_ n: Int) -> [Item] {
        var out: [Item] = []
        condition.withLock {
            while out.count < n {
                if taken < claimed {
                    out.append(ready.takeNext(waitingOn: condition))
                } else if ended || running == 0 {
                    break
                } else {
                    condition.wait()
                }
            }
        }
        return out
    }

    /// Whether every record has been taken (the last `take` held the batch's last records).
    var finished: Bool { condition.withLock { ended && taken == claimed } }

    /// Why the file could not be read to its end, if it could not.
    var failure: Rejection? { condition.withLock { readFailure } }

    /// How many records were cut from the file so far.
    var records: Int { condition.withLock { cut } }

    /// Lets the workers go and waits for them: they finish the record in hand and take no more.
    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
            while running > 0 { condition.wait() }
        }
    }
}
