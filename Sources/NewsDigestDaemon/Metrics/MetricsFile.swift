import Dispatch
import Foundation
import Glibc
import Logging

/// Keeps the metrics file (`metrics.textfile`) up to date for node_exporter's textfile
/// collector: written atomically (a reader never sees half a file) after each digest write, and
/// every 15 s while files flow. An idle daemon does not wake up for it.
public final class MetricsFile: @unchecked Sendable {
    /// While anything changes or waits, the file is written at least this often.
    public static let interval = 15.0

    private let path: AbsolutePath
    private let metrics: DaemonMetrics
    private let live: @Sendable () -> MetricsText.Live
    private let logger: Logger
    private let queue = DispatchQueue(label: "newsdigest.metrics")
    // Touched on `queue` only.
    private var writtenGeneration = -1
    private var timerArmed = false
    private var failing = false

    public init(
        path: AbsolutePath, metrics: DaemonMetrics, logger: Logger, live: @escaping @Sendable () -> MetricsText.Live
    ) {
        self.path = path
        self.metrics = metrics
        self.live = live
        self.logger = logger
    }

    /// Writes the file now (at start, after a digest write, at shutdown) and waits for it.
    public func writeNow() {
        queue.sync { write() }
    }

    /// Something changed: the file is written within `interval`, and again after that while
    /// changes go on or files wait.
    public func changed() {
        queue.async { [self] in
            guard !timerArmed else { return }
            timerArmed = true
            queue.asyncAfter(deadline: .now() + Self.interval) { [self] in tick() }
        }
    }

    private func tick() {
        timerArmed = false
        let before = writtenGeneration
        let now = live()
        write(live: now)
        if writtenGeneration != before || now.queueDepth > 0 {
            timerArmed = true
            queue.asyncAfter(deadline: .now() + Self.interval) { [self] in tick() }
        }
    }

    private func write(live now: MetricsText.Live? = nil) {
        let figures = metrics.value
        let text = MetricsText.render(figures, live: now ?? live())
        do {
            try AtomicFile.write(Array(text.utf8), to: path)
            writtenGeneration = figures.generation
            if failing {
                failing = false
                logger.notice("metrics: \(path.display) written again")
            }
        } catch {
            // Logged once per failing stretch: metrics never stop the daemon.
            if !failing { logger.warning("metrics: cannot write \(path.display): \(error); trying again later") }
            failing = true
        }
    }

    /// The store's size on disk: its file and its write-ahead log.
    public static func storeBytes(_ store: AbsolutePath) -> Int64 {
        var total: Int64 = 0
        for suffix in ["", "-wal"] {
            var st = stat()
            let file = AbsolutePath(bytes: store.bytes + Array(suffix.utf8))
            if file.withCString({ stat($0, &st) }) == 0 { total += Int64(st.st_size) }
        }
        return total
    }
}
