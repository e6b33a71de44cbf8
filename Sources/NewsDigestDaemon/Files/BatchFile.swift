import Glibc
import NewsDigest

/// A batch file (JSON Lines, or a JSON array) opened for reading record by record: 64 KiB read
/// at a time and cut by a `BatchSplitter`, so a batch of 256 MiB costs its largest record in
/// memory, not its size. Opened as `InputFile` opens a file of one article (no blocking, no
/// link followed, `fstat` on what was opened).
public final class BatchFile {
    public let identity: FileIdentity
    private let fd: Int32
    private var splitter: BatchSplitter
    private var ready: [BatchSplitter.Piece] = []
    private var ended = false
    private var block = [UInt8](repeating: 0, count: 65536)

    /// How a file of this name and these first bytes is cut into records; nil for a file of one
    /// article. `.jsonl` / `.ndjson` by name, a `.json` file when it opens an array.
    public static func layout(ofFileNamed name: String, peek: () -> [UInt8]?) -> BatchSplitter.Layout? {
        switch ArticleReader.format(ofFileNamed: name) {
        case .jsonLines: return .lines
        case .json: return peek().map(BatchSplitter.opensArray) == true ? .array : nil
        default: return nil
        }
    }

    /// Opens `path`, or says why it cannot be read as a batch (the whole file is then rejected).
    public static func open(
        _ path: AbsolutePath, layout: BatchSplitter.Layout, maxBatchBytes: Int, maxRecordBytes: Int
    ) -> Result<BatchFile, Rejection> {
        let fd: Int32
        let st: stat
        switch InputFile.open(path) {
        case .failure(let r): return .failure(r)
        case .success(let opened): (fd, st) = opened
        }
        guard st.st_size <= maxBatchBytes else {
            close(fd)
            return .failure(
                Rejection(
                    .size,
                    "batch file too large: \(st.st_size) bytes, the limit is \(maxBatchBytes) (input.max_batch_bytes)"))
        }
        return .success(
            BatchFile(
                fd: fd, identity: FileIdentity(st),
                splitter: BatchSplitter(layout: layout, maxRecordBytes: maxRecordBytes)))
    }

    private init(fd: Int32, identity: FileIdentity, splitter: BatchSplitter) {
        self.fd = fd
        self.identity = identity
        self.splitter = splitter
    }

    deinit { close(fd) }

    /// Whether every record has been handed out.
    public var atEnd: Bool { ended && ready.isEmpty }

    /// The next `n` records (fewer at the end of the file). A read error ends the batch with
    /// the error as its reason.
    public func next(_ n: Int) -> Result<[BatchSplitter.Piece], Rejection> {
        while ready.count < n && !ended {
            let count = block.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Rejection(.unreadable, "read error: \(String(cString: strerror(errno)))"))
            }
            if count == 0 {
                ended = true
                ready += splitter.finish()
            } else {
                ready += splitter.feed(block[..<count])
            }
        }
        let taken = Array(ready.prefix(n))
        ready.removeFirst(taken.count)
        return .success(taken)
    }
}
