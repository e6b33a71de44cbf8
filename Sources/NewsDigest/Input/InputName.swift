/// How an input file is named in the digests. The JSON names it exactly, so a program can find it
/// in the archive and two inputs never share a name there: a name that is valid UTF-8 as it is
/// (control characters only JSON-escaped); one that is not with each such byte as %XX and each
/// "%" as %25, flagged `file_escaped`. People (logs, Markdown) see the same name with control
/// characters as %XX, so a newline in a name never starts a line.
///
/// It travels as one string (the store's `file` columns, `ParsedArticle.file`): the escaped form
/// starts with "/", which no path relative to the drop folder does, so no exact name is ever
/// taken for one. (A NUL would do too, but SQLite's text ends at one.) An article of a batch
/// file (JSON Lines, a JSON array) is the batch's name, "//" and its 1-based record number:
/// a path relative to the drop folder never holds "//" either, so the two forms never meet.
public enum InputName {
    static let escapedMark: Character = "/"
    static let recordMark = "//"

    /// The string kept for a name of these bytes (and for record `record` of a batch, from 1).
    public static func kept(_ bytes: [UInt8], record: Int = 0) -> String {
        let (name, escaped) = form(bytes)
        return withRecord(escaped ? String(escapedMark) + name : name, record)
    }

    /// A kept name with a record number added (none for 0).
    public static func withRecord(_ kept: String, _ record: Int) -> String {
        record > 0 ? kept + recordMark + String(record) : kept
    }

    /// The kept name of the file, and the record number (0 for a file of one article).
    public static func record(_ kept: String) -> (file: String, record: Int) {
        guard let mark = kept.range(of: recordMark, options: .backwards), mark.lowerBound != kept.startIndex,
            let n = Int(kept[mark.upperBound...]), n > 0
        else { return (kept, 0) }
        return (String(kept[..<mark.lowerBound]), n)
    }

    /// The name of these bytes as people see it (any path, absolute ones too).
    public static func display(bytes: [UInt8]) -> String { controlsEscaped(form(bytes).name) }

    /// The name as the JSON gives it, and whether it is the escaped form.
    static func form(_ bytes: [UInt8]) -> (name: String, escaped: Bool) {
        var i = 0
        var valid = true
        while i < bytes.count {
            let length = UTF8Sequence.length(bytes, at: i)
            if length == 0 {
                valid = false
                break
            }
            i += length
        }
        if valid { return (String(decoding: bytes, as: UTF8.self), false) }
        var out = ""
        i = 0
        while i < bytes.count {
            let length = bytes[i] == 0x25 ? 0 : UTF8Sequence.length(bytes, at: i)
            if length > 0 {
                out += String(decoding: bytes[i..<(i + length)], as: UTF8.self)
                i += length
            } else {
                out += percent(bytes[i])
                i += 1
            }
        }
        return (out, true)
    }

    /// The JSON's `file`, `file_escaped` and `record` (0: none) of a kept name.
    public static func json(_ kept: String) -> (file: String, escaped: Bool, record: Int) {
        let (name, record) = record(kept)
        return name.first == escapedMark ? (String(name.dropFirst()), true, record) : (name, false, record)
    }

    /// The name as logs and the Markdown show it: control characters as %XX, and a batch's
    /// record as "items.jsonl, record 17".
    public static func display(_ kept: String) -> String {
        let (file, _, record) = json(kept)
        return controlsEscaped(file) + (record > 0 ? ", record \(record)" : "")
    }

    static func controlsEscaped(_ file: String) -> String {
        guard file.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return file }
        var out = ""
        for scalar in file.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += percent(UInt8(scalar.value))
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func percent(_ b: UInt8) -> String {
        let hex = String(b, radix: 16, uppercase: true)
        return "%" + (hex.count < 2 ? "0" + hex : hex)
    }
}
