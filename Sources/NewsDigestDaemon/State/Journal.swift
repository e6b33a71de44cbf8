import Foundation
import Glibc
import NewsDigest

/// One committed input: enough to rebuild every decision with the current code.
public struct JournalRecord: Codable, Sendable, Equatable {
    public var day: String
    public var file: String
    public var identity: FileIdentity
    public var article: RawArticle?
    public var rejected: String?

    public init(day: String, file: String, identity: FileIdentity, article: RawArticle?, rejected: String?) {
        self.day = day
        self.file = file
        self.identity = identity
        self.article = article
        self.rejected = rejected
    }
}

/// The state folder's record of what it has seen: an append-only JSON Lines file, fsynced after
/// each group of records and before any input leaves the drop folder. A digest is rebuilt from
/// it; a file whose identity is in it is never counted again.
///
/// Only one process may own a state folder at a time: the journal holds an exclusive lock on
/// `STATE/lock` for as long as it is open.
public final class Journal {
    public let state: AbsolutePath
    private let fd: Int32
    private let lockFD: Int32
    public private(set) var records: [JournalRecord] = []
    public private(set) var known: Set<FileIdentity> = []
    /// Lines that could not be read back (a torn last line after a crash): reported, not fatal.
    public private(set) var unreadable = 0

    public init(state: AbsolutePath) throws(SystemError) {
        self.state = state
        try Directory.create(state)
        let lockPath = state.appending("lock")
        lockFD = lockPath.withCString { open($0, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        guard lockFD >= 0 else { throw SystemError("open", path: lockPath.display) }
        if flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(lockFD)
            throw SystemError(
                "lock (is another newsdigest using this state folder?)", path: lockPath.display, code: code)
        }
        let path = state.appending("journal.jsonl")
        let existing = Self.readAll(path)
        fd = path.withCString { open($0, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        guard fd >= 0 else {
            close(lockFD)
            throw SystemError("open", path: path.display)
        }
        let decoder = JSONDecoder()
        var sawTornTail = false
        for line in existing.split(separator: 0x0A) where !line.isEmpty {
            if let r = try? decoder.decode(JournalRecord.self, from: Data(line)) {
                records.append(r)
                known.insert(r.identity)
            } else {
                unreadable += 1
                sawTornTail = true
            }
        }
        if sawTornTail && existing.last != 0x0A {
            // Start the next record on a line of its own.
            _ = write(fd, "\n", 1)
        }
    }

    deinit {
        close(fd)
        close(lockFD)
    }

    /// Appends and makes durable: when this returns, the records survive a crash.
    public func append(_ batch: [JournalRecord]) throws(SystemError) {
        guard !batch.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes: [UInt8] = []
        for r in batch {
            guard let data = try? encoder.encode(r) else { continue }
            bytes.append(contentsOf: data)
            bytes.append(0x0A)
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError("write", path: state.appending("journal.jsonl").display)
            }
            written += n
        }
        if fsync(fd) != 0 { throw SystemError("fsync", path: state.appending("journal.jsonl").display) }
        records.append(contentsOf: batch)
        for r in batch { known.insert(r.identity) }
    }

    private static func readAll(_ path: AbsolutePath) -> [UInt8] {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }
}
