import Glibc
import NewsDigest

/// A batch file (JSON Lines, or a JSON array) opened for reading record by record: 64 KiB read
/// at a time and cut by a `BatchSplitter`, so a batch of 256 MiB costs its largest record in
/// memory, not its size. Opened as `InputFile` opens a file of one article (no blocking, no
/// link followed, `fstat` on what was opened).
final class BatchFile {
    let identity: FileIdentity
    private let fd: Int32
    private var splitter: BatchSplitter
    private var ready: [BatchSplitter.Piece] = []
    private var ended = false
    private var block = [UInt8](repeating: 0, count: 65536)

    /// Opens `path`, or says why it cannot be read as a batch (the whole file is then rejected).
    static func open(
        _ path: AbsolutePath, layout: BatchSplitter.Layout, maxBatchBytes: Int, maxRecordBytes: Int
    ) -> Result<BatchFile, Rejection> {
        let fd = path.withCString { Glibc.open($0, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { return .failure(Rejection(.notAFile, "symbolic link: not followed")) }
            return .failure(Rejection(.unreadable, "cannot open: \(String(cString: strerror(code)))"))
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            return .failure(Rejection(.unreadable, "cannot stat: \(String(cString: strerror(code)))"))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return .failure(Rejection(.notAFile, "not a regular file"))
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
    var atEnd: Bool { ended && ready.isEmpty }

    /// The next `n` records (fewer at the end of the file). A read error ends the batch with
    /// the error as its reason.
    func next(_ n: Int) -> Result<[BatchSplitter.Piece], Rejection> {
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
