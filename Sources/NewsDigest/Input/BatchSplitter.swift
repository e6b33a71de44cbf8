/// Cuts a batch file (JSON Lines, or one JSON array) into its records as its bytes come in,
/// block by block, so a batch of any size is read with one record in memory, not the file.
///
/// Crawlers save many items to one file (Scrapy's `-o items.jsonl`, or `-o items.json`, an
/// array). Each record is then read as a `.json` file of one article would be. A record that
/// cannot be cut out (over the size limit, or cut off at the end of the file) is handed on as
/// a rejection with its number, and the records after it are read on.
///
/// Numbers are 1-based. In JSON Lines a record's number is its line's, so an operator can find
/// it with `sed -n 17p`; blank lines are no records (a last newline is not an empty record).
/// In an array it is the element's position.
public struct BatchSplitter: Sendable {
    public enum Layout: String, Sendable, Equatable {
        /// `.jsonl` / `.ndjson`: one record per line.
        case lines
        /// `.json` whose first byte (after white space) is "[": the array's elements.
        case array
    }

    public enum Piece: Sendable, Equatable {
        case record(Int, [UInt8])
        case rejected(Int, Rejection)

        public var number: Int {
            switch self {
            case .record(let n, _), .rejected(let n, _): n
            }
        }
    }

    public let layout: Layout
    /// `input.max_file_bytes`: a record over it is rejected, its bytes skipped unread.
    public let maxRecordBytes: Int

    private var current: [UInt8] = []
    private var oversize = false
    /// The number of the record being cut (lines: its line).
    private var number = 1
    // Arrays only: where the scan is.
    private var opened = false
    private var closed = false
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Something other than white space stands in the current element.
    private var hasContent = false
    /// Bytes after the array's "]" that are not white space (reported once, at the end).
    private var trailing = false
    /// The first byte that is not white space was not "[".
    private var notArray = false
    private var atStart = true

    public init(layout: Layout, maxRecordBytes: Int) {
        self.layout = layout
        self.maxRecordBytes = maxRecordBytes
    }

    /// Whether a `.json` file's first bytes open an array (a batch) rather than an object.
    public static func opensArray(_ prefix: some Collection<UInt8>) -> Bool {
        var bytes = Array(prefix.prefix(4096))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return bytes.first { !isSpace($0) } == UInt8(ascii: "[")
    }

    /// The records completed by these bytes, in order.
    public mutating func feed(_ block: some Collection<UInt8>) -> [Piece] {
        var out: [Piece] = []
        var bytes = Array(block)
        if atStart, !bytes.isEmpty {
            // A byte-order mark opens some files written on Windows; it is not part of a record.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            atStart = false
        }
        switch layout {
        case .lines:
            for b in bytes {
                if b == 0x0A {
                    endLine(&out)
                } else {
                    append(b)
                }
            }
        case .array:
            for b in bytes { scanArray(b, &out) }
        }
        return out
    }

    /// The last record, or what went wrong at the end of the file.
    public mutating func finish() -> [Piece] {
        var out: [Piece] = []
        switch layout {
        case .lines:
            endLine(&out)
        case .array:
            if !opened || notArray {
                out.append(
                    .rejected(1, Rejection(.json, "the batch is not a JSON array: it does not start with \"[\"")))
            } else if !closed {
                if hasContent || oversize {
                    out.append(
                        .rejected(
                            number,
                            Rejection(.json, "the file ends inside this record: the JSON array is not closed")))
                }
            } else if trailing {
                // Everything before was read; the operator learns the file's tail was not.
                out.append(
                    .rejected(number, Rejection(.json, "text after the JSON array's closing \"]\": not read")))
            }
        }
        current = []
        return out
    }

    private mutating func append(_ b: UInt8) {
        if oversize { return }
        if current.count >= maxRecordBytes {
            oversize = true
            current = []
            return
        }
        current.append(b)
    }

    private mutating func endLine(_ out: inout [Piece]) {
        defer {
            number += 1
            current.removeAll(keepingCapacity: current.count <= 65536)
            oversize = false
        }
        if oversize {
            out.append(.rejected(number, tooLarge))
        } else if current.contains(where: { !Self.isSpace($0) }) {
            out.append(.record(number, current))
        }
    }

    private var tooLarge: Rejection {
        Rejection(.size, "record too large: over \(maxRecordBytes) bytes (input.max_file_bytes)")
    }

    private mutating func scanArray(_ b: UInt8, _ out: inout [Piece]) {
        if closed {
            if !notArray && !Self.isSpace(b) { trailing = true }
            return
        }
        if !opened {
            if Self.isSpace(b) { return }
            opened = true
            if b != UInt8(ascii: "[") {
                // Changed since it was told apart from a single article's object.
                notArray = true
                closed = true
            }
            return
        }
        if inString {
            append(b)
            if escaped {
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else if b == UInt8(ascii: "\"") {
                inString = false
            }
            return
        }
        switch b {
        case UInt8(ascii: "\""):
            inString = true
            hasContent = true
            append(b)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            hasContent = true
            append(b)
        case UInt8(ascii: "}") where depth > 0, UInt8(ascii: "]") where depth > 0:
            depth -= 1
            append(b)
        case UInt8(ascii: ","), UInt8(ascii: "]"):
            if depth == 0 {
                let end = b == UInt8(ascii: "]")
                // "[]" and a trailing "," before "]" hold no record; an empty element between
                // two commas is one, and is rejected as such.
                if oversize {
                    out.append(.rejected(number, tooLarge))
                } else if hasContent {
                    while let last = current.last, Self.isSpace(last) { current.removeLast() }
                    out.append(.record(number, current))
                } else if !end {
                    out.append(.rejected(number, Rejection(.json, "empty record: nothing between two commas")))
                }
                if hasContent || oversize || !end { number += 1 }
                current.removeAll(keepingCapacity: current.count <= 65536)
                oversize = false
                hasContent = false
                if end { closed = true }
            } else {
                append(b)
            }
        default:
            if !Self.isSpace(b) { hasContent = true }
            if hasContent { append(b) }
        }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
}
