/// The JSON digest, exactly as schema/digest.schema.json says, with a fixed key order and
/// layout so the same digest is always the same bytes (JSONEncoder promises neither).
public enum JSONRendering {
    public static func render(_ d: Digest) -> String {
        var out = ""
        render(d) { out += $0 }
        return out
    }

    /// Renders in pieces of about `Rendering.chunk` bytes, handed to `sink` in order: a large
    /// day is written out as it is rendered, never held whole as one string.
    public static func render<E: Error>(_ d: Digest, into sink: (String) throws(E) -> Void) throws(E) {
        var out = head(date: d.date, counts: d.counts)
        for (i, story) in d.stories.enumerated() {
            if i > 0 { out += "," }
            out += self.story(story)
            if out.utf8.count > Rendering.chunk {
                try sink(out)
                out = ""
            }
        }
        out += storiesEnd(any: !d.stories.isEmpty)
        try tail(exactDuplicates: d.exactDuplicates, rejected: d.rejected, after: out, into: sink)
    }

    /// From the opening brace to the stories array's "[": the date and the counts.
    static func head(date: String, counts: Digest.Counts) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("date")
        w.string(date)
        w.key("counts")
        w.beginObject(inline: true)
        w.key("files")
        w.int(counts.files)
        w.key("articles")
        w.int(counts.articles)
        w.key("stories")
        w.int(counts.stories)
        w.key("near_duplicates")
        w.int(counts.nearDuplicates)
        w.key("exact_duplicates")
        w.int(counts.exactDuplicates)
        w.key("rejected")
        w.int(counts.rejected)
        w.end("}")
        w.key("stories")
        w.beginArray()
        return w.output
    }

    /// One story as an element of the stories array, from its line break on: the same bytes
    /// wherever it ranks, so it is rendered once and kept until the story changes. A "," goes
    /// between two of them.
    public static func story(_ story: Digest.Story) -> String {
        var w = JSONWriter(inside: [(first: false, inline: false), (first: true, inline: false)])
        w.element()
        w.beginObject()
        w.key("id")
        w.string(story.id)
        w.key("thread")
        w.string(story.thread.id)
        if !story.thread.absorbed.isEmpty {
            w.key("absorbed")
            w.beginArray(inline: true)
            for t in story.thread.absorbed {
                w.element()
                w.string(t)
            }
            w.end("]")
        }
        w.key("headline")
        w.string(story.headline)
        w.key("sources")
        w.beginArray(inline: true)
        for s in story.sources {
            w.element()
            w.string(s)
        }
        w.end("]")
        w.key("summary")
        w.beginArray()
        for s in story.summary {
            w.element()
            w.beginObject(inline: true)
            w.key("text")
            w.string(s.text)
            w.key("article")
            w.string(s.article)
            w.key("source")
            w.string(s.source)
            w.end("}")
        }
        w.end("]")
        w.key("articles")
        w.beginArray()
        for a in story.articles {
            w.element()
            w.beginObject(inline: true)
            w.key("id")
            w.string(a.id)
            w.fileName(a.file)
            w.key("source")
            w.string(a.source)
            w.key("title")
            w.string(a.title)
            w.key("status")
            w.string(a.isNearDuplicate ? "near_duplicate" : "new")
            w.key("duplicate_of")
            if let of = a.duplicateOf { w.string(of) } else { w.null() }
            w.end("}")
        }
        w.end("]")
        w.end("}")
        return w.output
    }

    /// What closes the stories array: on a line of its own when it holds any.
    static func storiesEnd(any: Bool) -> String {
        var w = JSONWriter(inside: [(first: false, inline: false), (first: !any, inline: false)])
        w.end("]")
        return w.output
    }

    /// The rest after the stories array: exact duplicates, rejections, the closing brace;
    /// `after` (what is rendered but not yet handed on) goes first.
    static func tail<E: Error>(
        exactDuplicates: some Collection<Digest.ExactDuplicate>, rejected: some Collection<Digest.Rejected>,
        after: String, into sink: (String) throws(E) -> Void
    ) throws(E) {
        var w = JSONWriter(inside: [(first: false, inline: false)], output: after)
        w.key("exact_duplicates")
        w.beginArray()
        for e in exactDuplicates {
            w.element()
            w.beginObject(inline: true)
            w.fileName(e.file)
            w.key("duplicate_of")
            w.string(e.duplicateOf)
            w.end("}")
            try w.flush(ifOver: Rendering.chunk, into: sink)
        }
        w.end("]")
        w.key("rejected")
        w.beginArray()
        for r in rejected {
            w.element()
            w.beginObject(inline: true)
            w.fileName(r.file)
            w.key("reason")
            w.string(r.reason)
            w.end("}")
            try w.flush(ifOver: Rendering.chunk, into: sink)
        }
        w.end("]")
        w.end("}")
        w.raw("\n")
        try w.flush(ifOver: 0, into: sink)
    }
}

/// What the renderings share.
enum Rendering {
    /// Bytes rendered before they are handed on.
    static let chunk = 1 << 16
}

/// A small streaming JSON writer: containers one member a line, or inline on one line.
struct JSONWriter {
    private(set) var output = ""
    private var levels: [(first: Bool, inline: Bool)] = []

    init() {}

    /// A writer that carries on inside containers already open (outermost first), so a part of
    /// a document can be rendered on its own with the bytes it has in the whole.
    init(inside levels: [(first: Bool, inline: Bool)], output: String = "") {
        self.levels = levels
        self.output = output
    }

    private mutating func separator() {
        guard !levels.isEmpty else { return }
        let level = levels[levels.count - 1]
        if !level.first { output += "," }
        levels[levels.count - 1].first = false
        if level.inline {
            if !level.first { output += " " }
        } else {
            output += "\n" + String(repeating: "  ", count: levels.count)
        }
    }

    mutating func beginObject(inline: Bool = false) { begin("{", inline) }
    mutating func beginArray(inline: Bool = false) { begin("[", inline) }

    private mutating func begin(_ c: String, _ inline: Bool) {
        output += c
        levels.append((true, inline || (levels.last?.inline ?? false)))
    }

    mutating func end(_ c: String) {
        let level = levels.removeLast()
        if !level.first && !level.inline { output += "\n" + String(repeating: "  ", count: levels.count) }
        output += c
    }

    mutating func key(_ k: String) {
        separator()
        appendString(k)
        output += ": "
    }

    /// Starts an array element.
    mutating func element() { separator() }

    mutating func string(_ s: String) { appendString(s) }
    mutating func int(_ i: Int) { output += String(i) }
    mutating func null() { output += "null" }

    /// `file`, `file_escaped` when the name is not UTF-8, and `record` for an article of a
    /// batch file (`InputName`).
    mutating func fileName(_ kept: String) {
        let (file, escaped, record) = InputName.json(kept)
        key("file")
        string(file)
        if escaped {
            key("file_escaped")
            output += "true"
        }
        if record > 0 {
            key("record")
            int(record)
        }
    }
    mutating func raw(_ s: String) { output += s }

    /// Hands what is rendered so far to `sink` once it is over `limit` bytes.
    mutating func flush<E: Error>(ifOver limit: Int, into sink: (String) throws(E) -> Void) throws(E) {
        guard output.utf8.count > limit else { return }
        try sink(output)
        output = ""
    }

    private mutating func appendString(_ s: String) {
        output += "\""
        // Most strings need no escape at all; a digest is rewritten whole on every write, so
        // those are copied as they are instead of scalar by scalar.
        guard Self.needsEscaping(s) else {
            output += s
            output += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    output += "\\u" + StableHash.hex(UInt64(scalar.value), digits: 4)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// Whether `s` holds a byte the loop above escapes: '"', '\\', a control character, or the
    /// UTF-8 of U+2028 / U+2029 (E2 80 A8 / A9).
    static func needsEscaping(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in
            var i = 0
            while i < u.count {
                let b = u[i]
                if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F { return true }
                if b == 0xE2, i + 2 < u.count, u[i + 1] == 0x80, u[i + 2] == 0xA8 || u[i + 2] == 0xA9 { return true }
                i += 1
            }
            return false
        }
    }
}
