import CHTMLTokens

/// A parsed page as a small tree: elements with their attributes, and text. Made from the
/// token buffer CHTMLTokens fills with libxml2's HTML parser (recovering from bad markup,
/// never loading anything); no libxml2 type reaches Swift.
public final class HTMLNode {
    public let name: String  // lowercase tag name; "" for text
    public let attributes: [String: String]
    public let text: String
    public private(set) var children: [HTMLNode] = []
    public private(set) weak var parent: HTMLNode?
    /// Whether the node is page furniture, worked out once (HTMLArticle.isFurniture): 0 not yet.
    var furnitureMark: UInt8 = 0

    init(name: String, attributes: [String: String], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.text = text
    }

    public var isText: Bool { name.isEmpty }

    func append(_ child: HTMLNode) {
        child.parent = self
        children.append(child)
    }

    /// Every element under this one (itself first), in document order.
    public func elements() -> [HTMLNode] {
        var out: [HTMLNode] = []
        var stack: [HTMLNode] = [self]
        while let n = stack.popLast() {
            guard !n.isText else { continue }
            out.append(n)
            stack.append(contentsOf: n.children.reversed())
        }
        return out
    }

    /// The text under this node, white space collapsed.
    public var textContent: String {
        var out = ""
        var stack: [HTMLNode] = [self]
        while let n = stack.popLast() {
            if n.isText {
                out += n.text
                out += " "
            } else if !HTMLTree.hidden.contains(n.name) {
                stack.append(contentsOf: n.children.reversed())
            }
        }
        return HTMLTree.collapse(out)
    }
}

public enum HTMLTree {
    /// Elements whose content is never reader text.
    static let hidden: Set<String> = ["script", "style", "noscript", "template", "svg", "head", "iframe", "object"]

    public struct ParseError: Error {}

    /// Parses `bytes`, read as `encoding` (libxml2's name for it), into a tree under a root.
    public static func parse(_ bytes: [UInt8], encoding: String) throws(ParseError) -> HTMLNode {
        var tokens = chtml_tokens()
        let rc = bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { chars in
                chtml_tokenize(chars.baseAddress, chars.count, encoding, &tokens)
            }
        }
        guard rc == 0 else { throw ParseError() }
        defer { chtml_tokens_free(&tokens) }
        let root = HTMLNode(name: "#document", attributes: [:])
        guard let base = tokens.bytes else { return root }
        let buffer = UnsafeBufferPointer(start: base, count: tokens.count)
        var i = 0
        var stack: [HTMLNode] = [root]
        func cString() -> String {
            let start = i
            while i < buffer.count && buffer[i] != 0 { i += 1 }
            let s = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<i]), as: UTF8.self)
            i += 1
            return s
        }
        while i < buffer.count {
            let kind = buffer[i]
            i += 1
            switch kind {
            case 0x4F:  // O
                let name = cString().lowercased()
                guard i + 2 <= buffer.count else { break }
                let n = Int(buffer[i]) | Int(buffer[i + 1]) << 8
                i += 2
                var attributes: [String: String] = [:]
                for _ in 0..<n {
                    let key = cString().lowercased()
                    let value = cString()
                    if attributes[key] == nil { attributes[key] = value }
                }
                let node = HTMLNode(name: name, attributes: attributes)
                stack.last!.append(node)
                stack.append(node)
            case 0x43:  // C
                if stack.count > 1 { stack.removeLast() }
            case 0x54:  // T
                guard i + 4 <= buffer.count else {
                    i = buffer.count
                    break
                }
                let n = Int(buffer[i]) | Int(buffer[i + 1]) << 8 | Int(buffer[i + 2]) << 16 | Int(buffer[i + 3]) << 24
                i += 4
                let end = min(buffer.count, i + n)
                let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[i..<end]), as: UTF8.self)
                i = end
                stack.last!.append(HTMLNode(name: "", attributes: [:], text: text))
            default:
                i = buffer.count  // never written by the tokenizer: stop rather than guess
            }
        }
        return root
    }

    /// White space runs (including no-break spaces) as one space, trimmed.
    public static func collapse(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var space = false
        for c in s.unicodeScalars {
            if c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\u{A0}" || c == "\u{0C}" {
                space = !out.isEmpty
            } else {
                if space { out.unicodeScalars.append(" ") }
                space = false
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
