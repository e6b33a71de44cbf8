import CHTMLTokens

/// A parsed page as a small tree: elements with their attributes, and text. Made from the
/// token buffer CHTMLTokens fills with libxml2's HTML parser (recovering from bad markup,
/// never loading anything); no libxml2 type reaches Swift.
public final class HTMLNode {
    public let name: String  // lowercase tag name; "" for text
    public let attributes: HTMLAttributes
    public let text: String
    public private(set) var children: [HTMLNode] = []
    public private(set) weak var parent: HTMLNode?
    /// Its place in document order (the root is 0): per-node figures are kept in arrays by it.
    public let index: Int
    /// Whether the node is page furniture, worked out once (HTMLArticle.isFurniture): 0 not yet.
    var furnitureMark: UInt8 = 0

    /// What its tag is, looked up once (`HTMLTree.tagKinds`): the walks test every node's tag
    /// against these sets, and hashing its name each time cost more than the test.
    let kind: HTMLTree.TagKind

    /// Its class and id, "class id", in lowercase (ASCII letters): what furniture and date
    /// names are looked for in, made once.
    lazy var classAndID: [UInt8] = {
        var out = Array((attributes["class"] ?? "").utf8)
        out.append(0x20)
        out += (attributes["id"] ?? "").utf8
        for i in out.indices where out[i] >= 0x41 && out[i] <= 0x5A { out[i] |= 0x20 }
        return out
    }()

    var isHiddenTag: Bool { kind.contains(.hidden) }
    /// A list item, a table cell or a definition's term or text.
    var isListOrCell: Bool { name == "li" || name == "td" || name == "th" || name == "dd" || name == "dt" }
    var isBlockTag: Bool { kind.contains(.block) }
    var isFurnitureTag: Bool { kind.contains(.furniture) }

    init(name: String, attributes: HTMLAttributes, text: String = "", index: Int) {
        self.index = index
        self.kind = name.isEmpty ? [] : HTMLTree.tagKinds[name] ?? []
        self.name = name
        self.attributes = attributes
        self.text = text
    }

    public var isText: Bool { name.isEmpty }

    /// The document node of the tree this node is in.
    private var root: HTMLNode {
        var r = self
        while let p = r.parent { r = p }
        return r
    }

    /// How many nodes the tree this node is in has: every `index` is below it.
    var treeSizeOfRoot: Int { root.nodes.count + 1 }

    func append(_ child: HTMLNode) {
        child.parent = self
        children.append(child)
    }

    /// Every element under this one (itself first, but never the document node), in document
    /// order: a slice of the tree's nodes, which the parse lists in that order (a subtree is
    /// one run of them).
    public func elements() -> LazyFilterSequence<ArraySlice<HTMLNode>> {
        root.nodes[max(0, index - 1)..<(end - 1)].lazy.filter { !$0.isText }
    }

    /// Index after its last descendant: its subtree is `index..<end` in document order.
    var end = 0
    /// On the root: every node but itself in document order (node `i` at `i - 1`; the root
    /// is left out so that it holds no reference to itself).
    var nodes: [HTMLNode] = []

    /// The text under this node, white space collapsed.
    public var textContent: String {
        var out = ""
        var stack: [HTMLNode] = [self]
        while let n = stack.popLast() {
            if n.isText {
                out += n.text
                out += " "
            } else if !n.isHiddenTag {
                stack.append(contentsOf: n.children.reversed())
            }
        }
        return HTMLTree.collapse(out)
    }
}

/// An element's attributes: a few pairs, looked up by a scan. A dictionary per element cost
/// a hash table each, and elements have two or three attributes.
public struct HTMLAttributes: Sendable {
    private var pairs: [(key: String, value: String)] = []

    init() {}

    /// The first value given for `key` counts, as browsers read it.
    mutating func add(_ key: String, _ value: String) {
        if self[key] == nil { pairs.append((key, value)) }
    }

    public subscript(_ key: String) -> String? {
        for p in pairs where p.key == key { return p.value }
        return nil
    }
}

public enum HTMLTree {
    /// Elements whose content is never reader text.
    static let hidden: Set<String> = ["script", "style", "noscript", "template", "svg", "head", "iframe", "object"]

    struct TagKind: OptionSet, Sendable {
        let rawValue: UInt8
        /// `hidden`.
        static let hidden = TagKind(rawValue: 1)
        /// `HTMLArticle.blockTags`.
        static let block = TagKind(rawValue: 2)
        /// `HTMLArticle.furnitureTags`.
        static let furniture = TagKind(rawValue: 4)
    }

    static let tagKinds: [String: TagKind] = {
        var kinds: [String: TagKind] = [:]
        for t in hidden { kinds[t, default: []].insert(.hidden) }
        for t in HTMLArticle.blockTags { kinds[t, default: []].insert(.block) }
        for t in HTMLArticle.furnitureTags { kinds[t, default: []].insert(.furniture) }
        return kinds
    }()

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
        let root = HTMLNode(name: "#document", attributes: HTMLAttributes(), index: 0)
        var all: [HTMLNode] = [root]
        var nodes: Int { all.count }
        defer {
            // Elements left open at the end close there.
            for n in all where n.end == 0 { n.end = all.count }
            root.nodes = Array(all.dropFirst())
        }
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
        /// libxml2's HTML parser gives tag and attribute names in lowercase already; a name
        /// with a capital letter (XML-ish markup) is lowered here.
        func name() -> String {
            let start = i
            var upper = false
            while i < buffer.count && buffer[i] != 0 {
                if buffer[i] >= 0x41 && buffer[i] <= 0x5A { upper = true }
                i += 1
            }
            let s = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<i]), as: UTF8.self)
            i += 1
            return upper ? s.lowercased() : s
        }
        while i < buffer.count {
            let kind = buffer[i]
            i += 1
            switch kind {
            case 0x4F:  // O
                let tag = name()
                guard i + 2 <= buffer.count else { break }
                let n = Int(buffer[i]) | Int(buffer[i + 1]) << 8
                i += 2
                var attributes = HTMLAttributes()
                for _ in 0..<n {
                    let key = name()
                    let value = cString()
                    attributes.add(key, value)
                }
                let node = HTMLNode(name: tag, attributes: attributes, index: nodes)
                all.append(node)
                stack.last!.append(node)
                stack.append(node)
            case 0x43:  // C
                if stack.count > 1 { stack.removeLast().end = all.count }
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
                let node = HTMLNode(name: "", attributes: HTMLAttributes(), text: text, index: nodes)
                node.end = nodes + 1
                stack.last!.append(node)
                all.append(node)
            default:
                i = buffer.count  // never written by the tokenizer: stop rather than guess
            }
        }
        return root
    }

    /// White space runs (including no-break spaces) as one space, trimmed. On the UTF-8 bytes:
    /// it runs over every text of every page, and scalar by scalar it cost an eighth of `extract`.
    public static func collapse(_ s: String) -> String {
        var s = s
        return s.withUTF8 { bytes -> String in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var space = false
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                var width = 0
                if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                    width = 1
                } else if b == 0xC2 && i + 1 < bytes.count && bytes[i + 1] == 0xA0 {
                    width = 2
                }
                if width > 0 {
                    space = !out.isEmpty
                    i += width
                } else {
                    if space { out.append(0x20) }
                    space = false
                    out.append(b)
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
