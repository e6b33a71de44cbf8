/// A small logic-less template for the HTML outputs, in Mustache's syntax:
/// `{{name}}` text, escaped for HTML (element content and quoted attributes alike);
/// `{{{name}}}` HTML made by this program (a kept story fragment, a streamed part);
/// `{{#name}}…{{/name}}` a section, shown once per item of a list or once when a flag or a text
/// is set; `{{^name}}…{{/name}}` shown when it is not. Escaping is the one part that must be
/// right, so every value is text unless the template asks for HTML by name.
public struct HTMLTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case value(String, escaped: Bool)
        case section(String, [Node], inverted: Bool)
    }

    public enum Value {
        case text(String)
        case html(String)
        case flag(Bool)
        case list([[String: Value]])
        /// HTML handed to the sink piece by piece when the template reaches it (a day's stories).
        case stream((_ sink: (String) throws -> Void) throws -> Void)
    }

    public struct SyntaxError: Error, CustomStringConvertible {
        public var description: String
    }

    let nodes: [Node]

    public init(_ source: String) throws(SyntaxError) {
        var rest = Substring(source)
        nodes = try Self.parse(&rest, closing: nil)
    }

    private static func parse(_ rest: inout Substring, closing: String?) throws(SyntaxError) -> [Node] {
        var nodes: [Node] = []
        while !rest.isEmpty {
            guard let open = rest.range(of: "{{") else {
                nodes.append(.text(String(rest)))
                rest = rest[rest.endIndex...]
                break
            }
            if open.lowerBound > rest.startIndex { nodes.append(.text(String(rest[..<open.lowerBound]))) }
            rest = rest[open.upperBound...]
            let triple = rest.hasPrefix("{")
            if triple { rest = rest.dropFirst() }
            guard let close = rest.range(of: triple ? "}}}" : "}}") else {
                throw SyntaxError(description: "a tag opened with {{ is never closed")
            }
            let tag = rest[..<close.lowerBound].trimmingSpaces()
            rest = rest[close.upperBound...]
            if triple {
                nodes.append(.value(tag, escaped: false))
            } else if tag.hasPrefix("#") || tag.hasPrefix("^") {
                let name = String(tag.dropFirst()).trimmingSpaces()
                let inner = try parse(&rest, closing: name)
                nodes.append(.section(name, inner, inverted: tag.hasPrefix("^")))
            } else if tag.hasPrefix("/") {
                let name = String(tag.dropFirst()).trimmingSpaces()
                guard name == closing else {
                    throw SyntaxError(description: "{{/\(name)}} closes no open section (open: \(closing ?? "none"))")
                }
                return nodes
            } else if tag.hasPrefix("!") {
                continue  // a comment
            } else {
                nodes.append(.value(tag, escaped: true))
            }
        }
        if let closing { throw SyntaxError(description: "{{#\(closing)}} is never closed") }
        return nodes
    }

    /// Renders with `context`, handing the output to `sink` in pieces (each a few KB at most,
    /// or one streamed piece).
    public func render(_ context: [String: Value], into sink: (String) throws -> Void) throws {
        var out = ""
        try render(nodes, [context], &out, sink)
        if !out.isEmpty { try sink(out) }
    }

    public func render(_ context: [String: Value]) -> String {
        var whole = ""
        // Nothing here throws but a sink or a stream: appending to a String does not.
        try? render(context) { whole += $0 }
        return whole
    }

    private func lookup(_ name: String, _ scopes: [[String: Value]]) -> Value? {
        for scope in scopes.reversed() { if let v = scope[name] { return v } }
        return nil
    }

    private func render(
        _ nodes: [Node], _ scopes: [[String: Value]], _ out: inout String, _ sink: (String) throws -> Void
    ) throws {
        for node in nodes {
            switch node {
            case .text(let t): out += t
            case .value(let name, let escaped):
                switch lookup(name, scopes) {
                case .text(let t): out += Self.escape(t)  // text is escaped even in {{{ }}}
                case .html(let h): out += escaped ? Self.escape(h) : h
                case .stream(let body):
                    if !out.isEmpty { try sink(out) }
                    out = ""
                    try body(sink)
                case .flag, .list, nil: break
                }
            case .section(let name, let inner, let inverted):
                let value = lookup(name, scopes)
                let items: [[String: Value]]
                switch value {
                case .list(let list): items = list
                case .flag(let on): items = on ? [[:]] : []
                case .text(let t), .html(let t): items = t.isEmpty ? [] : [[:]]
                case .stream: items = [[:]]
                case nil: items = []
                }
                if inverted {
                    if items.isEmpty { try render(inner, scopes, &out, sink) }
                } else {
                    for item in items { try render(inner, scopes + [item], &out, sink) }
                }
            }
            if out.utf8.count > 1 << 16 {
                try sink(out)
                out = ""
            }
        }
    }

    /// Text for HTML: safe in element content and in attribute values quoted with " or '.
    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
        else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A link target that may stand in an href: http and https URLs only (never `javascript:`,
    /// `data:` or anything a browser would run or fetch in place), else nil.
    public static func safeURL(_ s: String) -> String? {
        let trimmed = s.trimmingSpaces()
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        // No control characters or spaces: a browser strips some of them before the scheme.
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else { return nil }
        return trimmed
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
