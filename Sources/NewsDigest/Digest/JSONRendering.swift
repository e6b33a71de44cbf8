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
        var w = JSONWriter()
        w.beginObject()
        w.key("date")
        w.string(d.date)
        w.key("counts")
        w.beginObject(inline: true)
        w.key("files")
        w.int(d.counts.files)
        w.key("articles")
        w.int(d.counts.articles)
        w.key("stories")
        w.int(d.counts.stories)
        w.key("near_duplicates")
        w.int(d.counts.nearDuplicates)
        w.key("exact_duplicates")
        w.int(d.counts.exactDuplicates)
        w.key("rejected")
        w.int(d.counts.rejected)
        w.end("}")
        w.key("stories")
        w.beginArray()
        for story in d.stories {
            w.element()
            w.beginObject()
            w.key("id")
            w.string(story.id)
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
                w.key("file")
                w.string(a.file)
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
            try w.flush(ifOver: Rendering.chunk, into: sink)
        }
        w.end("]")
        w.key("exact_duplicates")
        w.beginArray()
        for e in d.exactDuplicates {
            w.element()
            w.beginObject(inline: true)
            w.key("file")
            w.string(e.file)
            w.key("duplicate_of")
            w.string(e.duplicateOf)
            w.end("}")
            try w.flush(ifOver: Rendering.chunk, into: sink)
        }
        w.end("]")
        w.key("rejected")
        w.beginArray()
        for r in d.rejected {
            w.element()
            w.beginObject(inline: true)
            w.key("file")
            w.string(r.file)
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
