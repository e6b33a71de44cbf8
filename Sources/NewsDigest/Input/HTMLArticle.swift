import Foundation

/// A news page read as an article: its character set found, parsed by libxml2 (HTMLTree), its
/// metadata taken from what publishers mark up (JSON-LD, Open Graph, <time>, the URL), and its
/// main text found by where the prose is dense and the links are few.
public enum HTMLArticle {
    /// What was read from a page besides the text.
    public struct Page: Sendable, Equatable {
        public var title: String
        public var text: String
        public var date: String?
        public var url: String?
        public var site: String?
        public var author: String?
        public var encoding: String
    }

    public static func read(_ bytes: [UInt8], fallbackSource: String) -> Result<RawArticle, Rejection> {
        extract(bytes).map { article($0, fallbackSource: fallbackSource) }
    }

    /// The article a page gives, as the other readers make theirs.
    public static func article(_ page: Page, fallbackSource: String) -> RawArticle {
        let article = RawArticle(
            title: page.title, text: page.text, source: source(page, fallback: fallbackSource), url: page.url,
            date: page.date)
        return page.encoding == "UTF-8" ? article : article.decoded(from: page.encoding)
    }

    /// The outlet: the page's site name, else the drop folder's outlet, else its URL's host.
    static func source(_ page: Page, fallback: String) -> String {
        // Some pages give a URL as their site name: the outlet is then its host, never a URL.
        if let site = page.site { return ArticleReader.isURL(site) ? ArticleReader.host(site) ?? site : site }
        if fallback != "unknown" { return fallback }
        return page.url.flatMap(ArticleReader.host) ?? fallback
    }

    public static func extract(_ bytes: [UInt8]) -> Result<Page, Rejection> {
        if bytes.isEmpty { return .failure(Rejection(.empty, "empty file")) }
        // A compressed or binary file saved under .html (a scraper that kept the gzip body).
        if let kind = TextDecoding.binaryKind(bytes[...]) {
            return .failure(Rejection(.binary, "binary file (\(kind)) named .html, not a page"))
        }
        let (encoding, body) = charset(bytes)
        let root: HTMLNode
        do {
            root = try HTMLTree.parse(body, encoding: encoding)
        } catch {
            return .failure(Rejection(.encoding, "not HTML libxml2 could parse (read as \(encoding))"))
        }
        protectProse(root)
        let meta = Metadata(root)
        var text = mainText(root, meta: meta)
        let title = meta.title(root)
        if text.isEmpty, let body = meta.articleBody { text = body }
        // A page's title alone is no article: a section front or a menu page has one too.
        guard !text.isEmpty else {
            return .failure(Rejection(.empty, "no article text found in the page (title: \"\(title.prefix(80))\")"))
        }
        return .success(
            Page(
                title: title, text: text, date: meta.date, url: meta.canonical, site: meta.site, author: meta.author,
                encoding: encoding))
    }

    // MARK: Character set

    /// The page's encoding, in order: a byte-order mark, `<meta charset>`, `http-equiv`'s
    /// charset, valid UTF-8, else Windows-1252 (what browsers do). Returned with the bytes
    /// the parser should read (a UTF-8 BOM dropped). A page that is valid UTF-8 with characters
    /// beyond ASCII is UTF-8 whatever it declares: text in another multi-byte encoding is
    /// practically never valid UTF-8, and scrapers often re-save pages as UTF-8 and keep the
    /// old declaration.
    static func charset(_ bytes: [UInt8]) -> (String, [UInt8]) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return ("UTF-8", Array(bytes.dropFirst(3))) }
        if bytes.starts(with: [0xFF, 0xFE]) { return ("UTF-16LE", Array(bytes.dropFirst(2))) }
        if bytes.starts(with: [0xFE, 0xFF]) { return ("UTF-16BE", Array(bytes.dropFirst(2))) }
        // The declaration sits in the first 1024 bytes (HTML's prescan); read them as ASCII.
        if bytes.contains(where: { $0 >= 0x80 }) && validUTF8(bytes) { return ("UTF-8", bytes) }
        let head = String(decoding: bytes.prefix(2048).map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        if let m = head.firstMatch(of: /<meta[^>]*charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)/) {
            let declared = String(m.output.1)
            if let name = libxmlName(declared) {
                // A page declaring UTF-8 that is not must still be read: it is then Windows-1252.
                if name != "UTF-8" || validUTF8(bytes) { return (name, bytes) }
            }
        }
        return (validUTF8(bytes) ? "UTF-8" : "windows-1252", bytes)
    }

    static func libxmlName(_ declared: String) -> String? {
        switch declared {
        case "utf-8", "utf8", "unicode-1-1-utf-8": return "UTF-8"
        // The WHATWG encoding standard reads these labels as Windows-1252.
        case "iso-8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252", "x-cp1252":
            return "windows-1252"
        case "iso-8859-15", "latin9": return "ISO-8859-15"
        case "iso-8859-2", "windows-1250", "windows-1251", "koi8-r", "shift_jis", "euc-jp", "gb2312", "gbk",
            "big5", "euc-kr", "iso-8859-5", "iso-8859-7", "iso-8859-9", "windows-1253", "windows-1254",
            "windows-1256":
            return declared.uppercased()
        default: return nil
        }
    }

    static func validUTF8(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 {
                i += 1
                // Pages are mostly ASCII markup: eight bytes at a time while they are.
                while i + 8 <= bytes.count {
                    let word = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i, as: UInt64.self) }
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                continue
            }
            let n = UTF8Sequence.length(bytes, at: i)
            if n <= 1 { return false }
            i += n
        }
        return true
    }

    // MARK: Main text

    /// Elements that never hold the article's text.
    static let furnitureTags: Set<String> = [
        "script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form", "button", "select",
        "input", "textarea", "iframe", "object", "embed", "figure", "figcaption", "menu", "dialog", "head", "video",
        "audio", "canvas", "label",
    ]

    /// Class and id words of page furniture: navigation, sharing, comments, related links,
    /// banners, captions and credits. Not "read more": that names the collapsed rest of an
    /// article as often as a link to another, and a block of links is left out by its link
    /// density anyway.
    static let furnitureWords: [String] = [
        "comment", "share", "sharing", "social", "related", "recommend", "promo", "newsletter", "subscribe",
        "subscription", "cookie", "consent", "gdpr", "banner", "advert", "sponsor", "sidebar", "breadcrumb",
        "caption", "credit", "footer", "masthead", "navbar", "nav-", "menu", "popup", "modal", "paywall",
        "more-stories", "tags", "toolbar", "outbrain", "taboola", "signup",
        "author-bio", "byline", "timestamp", "dateline", "print-", "skip-",
    ]

    static let contentWords = ["article", "body", "content", "main", "post", "entry", "story", "text", "column"]

    static func isFurniture(_ node: HTMLNode) -> Bool {
        if node.furnitureMark == 0 { node.furnitureMark = furniture(node) ? 2 : 1 }
        return node.furnitureMark == 2
    }

    private static func furniture(_ node: HTMLNode) -> Bool {
        // A figure is a picture and its caption, unless it holds a table (WordPress puts
        // every table of an article in a <figure>).
        if node.isFurnitureTag && !(node.name == "figure" && node.elements().contains { $0.name == "table" }) {
            return true
        }
        if node.name == "header", node.parent?.name != "article" { return true }
        let role = node.attributes["role"]?.lowercased() ?? ""
        if ["navigation", "banner", "contentinfo", "complementary", "dialog", "menu", "search"].contains(role) {
            return true
        }
        if hiddenByPage(node) { return true }
        // A page's main or article element is what the names of its parts are measured against,
        // never furniture by name ("main container js-social-anchor").
        if node.name == "main" || node.name == "article" || node.name == "body" { return false }
        let words = node.classAndID
        if words.count < 3 { return false }
        // A container whose name also says content ("entry-content share-enabled", "post-body",
        // "main-column") may hold the article: names are only a hint, and losing the article
        // costs more than keeping a share bar.
        if contentWordNeedles.occur(in: words) { return false }
        return furnitureWordNeedles.occur(in: words)
    }

    static let contentWordNeedles = Boilerplate.Needles(contentWords)
    static let furnitureWordNeedles = Boilerplate.Needles(furnitureWords)

    /// Names and tags are hints: an element holding half of the page's prose (a `<header>` a
    /// page builder wraps the article in, a "sidebar-right" layout block) is never furniture.
    static func protectProse(_ root: HTMLNode) {
        let body = root.elements().first { $0.name == "body" } ?? root
        let prose = proseChars(blocks(body, skipFurniture: false), under: body)
        let total = prose[body.index]
        guard total > 0 else { return }
        for node in body.elements() where prose[node.index] * 2 >= total && !hiddenByPage(node) {
            node.furnitureMark = 1
        }
    }

    /// Hidden by the page itself, not by a name: hidden elements are never read.
    static func hiddenByPage(_ node: HTMLNode) -> Bool {
        if node.attributes["hidden"] != nil && !streamedSegment(node) || node.attributes["aria-hidden"] == "true" {
            return true
        }
        let style = node.attributes["style"]?.lowercased().filter { $0 != " " } ?? ""
        return style.contains("display:none") || style.contains("visibility:hidden")
    }

    /// React's streamed server rendering sends each finished part of a page as
    /// `<div hidden id="S:…">` and moves it into place with a script: hidden only until the
    /// script runs, and on such pages it holds the whole article.
    static func streamedSegment(_ node: HTMLNode) -> Bool {
        guard let id = node.attributes["id"], id.hasPrefix("S:"), id.utf8.count > 2 else { return false }
        return id.utf8.dropFirst(2).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    static let blockTags: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "div", "section",
        "article", "main", "ul", "ol", "table", "tr", "br", "hr",
    ]

    /// A block of text in reading order, with how much of it is link text.
    struct Block {
        var node: HTMLNode
        var text: String
        var linkChars: Int
        var heading: Bool
        /// `text.count`, counted once: characters are counted by grapheme, which is not cheap,
        /// and the scores read it several times.
        var chars: Int
    }

    /// The text blocks under `root`, furniture skipped: paragraphs, headings, list items, and
    /// the loose text of other containers.
    static func blocks(_ root: HTMLNode, skipFurniture: Bool = true) -> [Block] {
        var out: [Block] = []
        var current = ""
        var links = 0
        var owner = root
        func flush() {
            let text = HTMLTree.collapse(current)
            if !text.isEmpty {
                out.append(
                    Block(
                        node: owner, text: text, linkChars: links, heading: owner.name.first == "h", chars: text.count))
            }
            current = ""
            links = 0
        }
        func walk(_ node: HTMLNode, inLink: Bool) {
            for child in node.children {
                if child.isText {
                    current += child.text
                    if inLink { links += child.text.count }
                    continue
                }
                if skipFurniture ? isFurniture(child) : child.isHiddenTag { continue }
                if child.isBlockTag {
                    flush()
                    let saved = owner
                    owner = child
                    walk(child, inLink: inLink)
                    flush()
                    owner = saved
                } else {
                    walk(child, inLink: inLink || child.name == "a")
                }
            }
        }
        owner = root
        walk(root, inLink: false)
        flush()
        return out
    }

    /// The article's paragraphs joined by blank lines: from the element marked as the
    /// article's body when the page marks one, else from the container where prose is
    /// densest (paragraph text, commas, few links), with its neighbouring blocks.
    static func mainText(_ root: HTMLNode, meta: Metadata) -> String {
        let body = root.elements().first { $0.name == "body" } ?? root
        let marked = body.elements().first {
            ($0.attributes["itemprop"] ?? "").lowercased().contains("articlebody")
        }
        let articles = Array(body.elements().filter { $0.name == "article" && !isFurniture($0) })
        var container = marked
        if container == nil, articles.count == 1 {
            // The page's one <article> is the article unless most of the page's prose is
            // outside it: then it is a part of the page (a FAQ, a card), and prose decides.
            let prose = proseChars(blocks(body), under: body)
            if prose[articles[0].index] * 2 >= prose[body.index] { container = articles[0] }
        }
        if let hinted = container {
            // A short article in the element the page marks as the article is still the
            // article: the densest prose elsewhere replaces it only when there is clearly more
            // of it (a marked teaser above the full text), not a blurb of the same size.
            let hintedWords = words(blocks(hinted).map(\.text).joined(separator: " "))
            if hintedWords < 80, let dense = densest(body),
                hintedWords == 0 || words(blocks(dense).map(\.text).joined(separator: " ")) > 2 * hintedWords
            {
                container = dense
            }
        } else {
            container = densest(body)
        }
        guard let chosen = container else { return "" }
        var kept: [String] = []
        let title = HTMLTree.collapse(meta.title(root)).lowercased()
        for block in blocks(chosen) {
            let chars = block.chars
            if chars == 0 { continue }
            // Link lists (related stories, tags) are not prose.
            if block.linkChars * 2 > chars { continue }
            if block.heading && block.text.lowercased() == title { continue }
            // A short line that is no sentence is a button or a label, unless it is an item of
            // a list or a cell of a table in the article (ingredients, a ranking, a book list).
            if !block.heading && chars < 25 && !block.text.hasSuffix(".") && !block.node.isListOrCell { continue }
            kept.append(block.text)
        }
        return kept.joined(separator: "\n\n")
    }

    static func words(_ s: String) -> Int {
        // Counted on the bytes: runs of anything but a space or a line end.
        var count = 0
        var inWord = false
        for b in s.utf8 {
            let separator = b == 0x20 || b == 0x0A
            if !separator && !inWord { count += 1 }
            inWord = !separator
        }
        return count
    }

    /// The element whose paragraphs score highest: each paragraph of 25 characters or more
    /// gives its parent 1 + its commas + a point per 100 characters (at most 3), its
    /// grandparent half that, and three more ancestors less; a container's score shrinks with
    /// its share of link text.
    static func densest(_ body: HTMLNode) -> HTMLNode? {
        // Figures per node in arrays by the node's index; containers are then tried in
        // document order, so of two with the same score the first wins, every run.
        let size = body.treeSizeOfRoot
        var scores = [Double](repeating: 0, count: size)
        var scored = [Bool](repeating: false, count: size)
        let all = blocks(body)
        for block in all where !block.heading {
            let chars = block.chars
            guard chars >= 25, block.linkChars * 2 < chars else { continue }
            let commas = block.text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }
            let score = 1 + Double(commas) + min(Double(chars) / 100, 3)
            var target: HTMLNode? = block.node.name == "p" || block.node.name == "br" ? block.node.parent : block.node
            // Up to five levels, a share less at each: paragraphs that a page builder wraps one
            // by one still add up in the container of all of them.
            for share in [1.0, 1.0 / 2, 1.0 / 6, 1.0 / 9, 1.0 / 12] {
                guard let t = target, t !== body.parent else { break }
                scores[t.index] += score * share
                scored[t.index] = true
                target = t.parent
            }
        }
        // Each container's text and link text, from the blocks under it: one walk up per block.
        var chars = [Int](repeating: 0, count: size)
        var links = [Int](repeating: 0, count: size)
        for block in all {
            var node: HTMLNode? = block.node
            while let n = node {
                if scored[n.index] {
                    chars[n.index] += block.chars
                    links[n.index] += block.linkChars
                }
                if n === body { break }
                node = n.parent
            }
        }
        var best: (node: HTMLNode, score: Double)?
        for node in body.elements() where scored[node.index] {
            let i = node.index
            let score = scores[i] * (1 - Double(links[i]) / Double(max(1, chars[i])))
            if best == nil || score > best!.score { best = (node, score) }
        }
        guard let densest = best?.node else { return nil }
        // The densest container can be one part of an article cut into many (a page builder's
        // blocks) or the disclaimer under it: when it holds under half the page's prose, the
        // article is taken to be the deepest container holding most of it.
        let prose = proseChars(all, under: body)
        let total = prose[body.index]
        guard total > 0, Double(prose[densest.index]) < 0.5 * Double(total) else {
            return densest
        }
        var deepest: (node: HTMLNode, depth: Int)?
        for node in body.elements() {
            guard Double(prose[node.index]) >= 0.6 * Double(total) else { continue }
            var depth = 0
            var up = node.parent
            while let u = up {
                depth += 1
                up = u.parent
            }
            if deepest == nil || depth > deepest!.depth { deepest = (node, depth) }
        }
        return deepest?.node ?? densest
    }

    /// The characters of prose (blocks of 25 characters or more, mostly not links) under each
    /// element of `body`, `body` included, by node index.
    static func proseChars(_ blocks: [Block], under body: HTMLNode) -> [Int] {
        var out = [Int](repeating: 0, count: body.treeSizeOfRoot)
        for block in blocks where !block.heading {
            let chars = block.chars
            guard chars >= 25, block.linkChars * 2 < chars else { continue }
            var node: HTMLNode? = block.node
            while let n = node {
                out[n.index] += chars
                if n === body { break }
                node = n.parent
            }
        }
        return out
    }

    // MARK: Metadata

    struct Metadata {
        var metas: [String: String] = [:]
        var ld: [[String: Any]] = []
        /// Every JSON-LD object, whatever its type (a video or a social post has dates too).
        var ldAll: [[String: Any]] = []
        /// The text of the page's other scripts, up to 1 MiB.
        var scriptBytes: [UInt8] = []
        var titleTag = ""
        var canonicalLink: String?
        var firstH1: String?
        var timeDatetime: String?
        /// Short texts of <time> elements and of elements named for a date, in page order:
        /// where a page shows its date only as words ("August 12, 2025").
        var dateTexts: [String] = []
        var afterHeadline: [String] = []

        init(_ root: HTMLNode) {
            afterHeadline = Self.textsAfterHeadline(root)
            for e in root.elements() {
                switch e.name {
                case "meta":
                    // RDFa may name several properties at once ("dc:date dc:created").
                    let keys = (e.attributes["property"] ?? e.attributes["name"] ?? e.attributes["itemprop"] ?? "")
                        .lowercased().split(separator: " ")
                    if let content = e.attributes["content"] {
                        for key in keys where metas[String(key)] == nil { metas[String(key)] = content }
                    }
                case "title" where titleTag.isEmpty: titleTag = e.textContent
                case "link":
                    if (e.attributes["rel"] ?? "").lowercased() == "canonical" { canonicalLink = e.attributes["href"] }
                case "h1" where firstH1 == nil && !HTMLArticle.isFurniture(e):
                    let t = e.textContent
                    if !t.isEmpty { firstH1 = t }
                case "time":
                    if timeDatetime == nil { timeDatetime = e.attributes["datetime"] }
                    if dateTexts.count < 8 { dateTexts.append(e.textContent) }
                case "script" where (e.attributes["type"] ?? "").lowercased().contains("ld+json"):
                    let json = e.children.filter(\.isText).map(\.text).joined()
                    if let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) {
                        Self.collect(object, into: &ld, all: &ldAll)
                    }
                case "script" where scriptBytes.count < 1 << 20:
                    // Pages built by scripts carry their date in the data they embed.
                    for t in e.children where t.isText { scriptBytes += Array(t.text.utf8.prefix(1 << 20)) }
                default:
                    guard dateTexts.count < 8, e.attributes["class"] != nil || e.attributes["id"] != nil else { break }
                    if Self.dateWords.occur(in: e.classAndID) {
                        let t = e.textContent
                        if t.count <= 160 { dateTexts.append(t) }
                    }
                }
            }
        }

        static let dateWords = Boilerplate.Needles(["date", "publish", "posted", "byline", "meta", "updated", "author"])

        /// Short texts right after the headline, where pages print their date without naming it.
        static func textsAfterHeadline(_ root: HTMLNode) -> [String] {
            var out: [String] = []
            var seen = false
            var stack: [HTMLNode] = [root]
            while let n = stack.popLast(), out.count < 40 {
                if n.isText {
                    if seen, n.text.utf8.count <= 120 { out.append(n.text) }
                    continue
                }
                if n.isHiddenTag { continue }
                if n.name == "h1" { seen = true }
                stack.append(contentsOf: n.children.reversed())
            }
            return out
        }

        /// The JSON-LD objects of article types, through arrays and @graph.
        static func collect(_ object: Any, into out: inout [[String: Any]], all: inout [[String: Any]]) {
            if let array = object as? [Any] {
                for o in array { collect(o, into: &out, all: &all) }
            } else if let dict = object as? [String: Any] {
                all.append(dict)
                if let graph = dict["@graph"] { collect(graph, into: &out, all: &all) }
                let type = (dict["@type"] as? String) ?? ((dict["@type"] as? [String])?.first ?? "")
                if type.lowercased().contains("article") || type == "NewsArticle" || type == "BlogPosting"
                    || type == "Report" || type == "WebPage"
                {
                    out.append(dict)
                }
            }
        }

        /// The first non-empty string under `key` in the article-type JSON-LD objects.
        func ldString(_ key: String) -> String? { Self.firstString(key, in: ld) }

        /// The same in every JSON-LD object, whatever its type.
        func ldAny(_ key: String) -> String? { Self.firstString(key, in: ldAll) }

        static func firstString(_ key: String, in objects: [[String: Any]]) -> String? {
            for o in objects {
                if let s = o[key] as? String, !s.isEmpty { return s }
            }
            return nil
        }

        /// A date after a publication key in the page's scripts' data ("publishedAt": "2025-…").
        var scriptDate: String? {
            for key in Self.scriptDateKeys {
                var from = 0
                while let at = Boilerplate.find(scriptBytes, key, from: from) {
                    let window = scriptBytes[(at + key.count)..<min(scriptBytes.count, at + key.count + 48)]
                    if let day = HTMLArticle.dayInWords(String(decoding: window, as: UTF8.self)) { return day }
                    from = at + key.count
                }
            }
            return nil
        }

        static let scriptDateKeys = [
            "datePublished", "publishedAt", "published_at", "publishDate", "publish_date", "pubDate",
            "firstPublished", "dateCreated", "uploadDate",
        ].map { Array("\"\($0)".utf8) }

        var site: String? {
            let name = metas["og:site_name"] ?? metas["application-name"]
            return name.map(HTMLTree.collapse).flatMap { $0.isEmpty ? nil : $0 }
        }

        var canonical: String? {
            let candidates = [canonicalLink, metas["og:url"], ldString("url")]
            return candidates.compactMap { $0 }.first { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        }

        var author: String? {
            if let a = metas["author"] ?? metas["article:author"], !a.hasPrefix("http") { return a }
            for o in ld {
                if let a = o["author"] as? [String: Any], let n = a["name"] as? String { return n }
                if let list = o["author"] as? [[String: Any]], let n = list.first?["name"] as? String { return n }
            }
            return nil
        }

        var articleBody: String? {
            ldString("articleBody").map { HTMLTree.collapse($0) }
        }

        /// The visible headline, else og:title, else <title> less its " | Site" part.
        /// The visible headline when the page's own title says the same (an H1 can be the
        /// site's logo or a section name), else og:title, JSON-LD's headline, <title> less its
        /// site part.
        func title(_ root: HTMLNode) -> String {
            let declared = [
                metas["og:title"].map(HTMLTree.collapse), ldString("headline").map(HTMLTree.collapse),
                HTMLArticle.stripSite(HTMLTree.collapse(titleTag), site: site),
            ].compactMap { $0 }.filter { !$0.isEmpty }
            if let h1 = firstH1, h1.count >= 10,
                declared.isEmpty || declared.contains(where: { HTMLArticle.overlap(h1, $0) >= 0.5 })
            {
                return h1
            }
            return declared.first ?? firstH1 ?? ""
        }

        /// YYYY-MM-DD of the publication: JSON-LD, then the article meta tags, then <time>,
        /// then a /YYYY/MM/DD/ in the URL.
        var date: String? {
            let candidates: [String?] = [
                ldString("datePublished"), metas["article:published_time"], metas["og:article:published_time"],
                metas["datepublished"], metas["pubdate"], metas["publishdate"], metas["date"], metas["dc.date"],
                metas["dc:date"], metas["dcterms:created"], metas["dcterms:date"], metas["dc:created"],
                metas["dc.date.issued"], metas["sailthru.date"], metas["parsely-pub-date"], ldString("dateCreated"),
                timeDatetime,
            ]
            for c in candidates {
                if let c, let day = HTMLArticle.day(c) { return day }
            }
            for t in dateTexts + afterHeadline {
                if let day = HTMLArticle.dayInWords(t) { return day }
            }
            if let c = ldAny("datePublished") ?? ldAny("uploadDate"), let day = HTMLArticle.day(c) { return day }
            if let day = scriptDate { return day }
            if let url = canonical, let m = url.firstMatch(of: /\/(20\d\d|19\d\d)[\/-](\d{1,2})[\/-](\d{1,2})(\/|$)/) {
                let d = "\(m.output.1)-\(String(m.output.2).leftPad)-\(String(m.output.3).leftPad)"
                if let day = HTMLArticle.day(d) { return day }
            }
            // Last: when it was changed, which for many pages is when it was written.
            for c in [ldString("dateModified"), metas["article:modified_time"], metas["og:updated_time"]] {
                if let c, let day = HTMLArticle.day(c) { return day }
            }
            return nil
        }
    }

    /// "2026-12-07" at the start of an ISO 8601 date or date-time, when it is a real date.
    static func day(_ s: String) -> String? {
        // A byte loop, not a Regex: it runs for every date candidate of every page.
        var bytes = s.utf8.drop { $0 == 0x20 || $0 == 0x09 }.prefix(10).makeIterator()
        var out: [UInt8] = []
        for i in 0..<10 {
            guard let b = bytes.next() else { return nil }
            if i == 4 || i == 7 {
                guard b == UInt8(ascii: "-") else { return nil }
            } else {
                guard b >= 0x30 && b <= 0x39 else { return nil }
            }
            out.append(b)
        }
        let day = String(decoding: out, as: UTF8.self)
        guard let n = DayNumber.parse(day), DayNumber.format(n) == day else { return nil }
        return day
    }

    static let monthNumbers: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
        "oct": 10, "nov": 11, "dec": 12,
    ]

    /// The first date written out in `text`: "August 12, 2025", "12 Aug 2025", "2025/08/12",
    /// "2025-08-12"; nil when none is a real date.
    static func dayInWords(_ text: String) -> String? {
        // Every form below has a year of four digits: most texts tried (a page's short texts
        // after its headline) have none, and Regex matching is slow on Linux.
        var run = 0
        var year = false
        for b in text.utf8 {
            run = b >= 0x30 && b <= 0x39 ? run + 1 : 0
            if run == 4 {
                year = true
                break
            }
        }
        guard year else { return nil }
        let t = text.lowercased()
        func make(_ y: Substring, _ m: Int, _ d: Substring) -> String? {
            guard let year = Int(y), let dd = Int(d), (1990...2100).contains(year), (1...12).contains(m) else {
                return nil
            }
            let day = "\(year)-\(m < 10 ? "0" : "")\(m)-\(dd < 10 ? "0" : "")\(dd)"
            guard let n = DayNumber.parse(day), DayNumber.format(n) == day else { return nil }
            return day
        }
        if let m = t.firstMatch(of: /(\d{4})[\/.\-](\d{1,2})[\/.\-](\d{1,2})/), let month = Int(m.output.2) {
            if let d = make(m.output.1, month, m.output.3) { return d }
        }
        if let m = t.firstMatch(of: /([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})/),
            let month = monthNumbers[String(m.output.1.prefix(4))] ?? monthNumbers[String(m.output.1.prefix(3))]
        {
            if let d = make(m.output.3, month, m.output.2) { return d }
        }
        if let m = t.firstMatch(of: /(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})/),
            let month = monthNumbers[String(m.output.2.prefix(4))] ?? monthNumbers[String(m.output.2.prefix(3))]
        {
            if let d = make(m.output.3, month, m.output.1) { return d }
        }
        return nil
    }

    /// The share of the shorter title's words that the other has too.
    static func overlap(_ a: String, _ b: String) -> Double {
        func words(_ s: String) -> Set<String> {
            Set(s.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
        }
        let (x, y) = (words(a), words(b))
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        return Double(x.intersection(y).count) / Double(min(x.count, y.count))
    }

    /// "Storm hits coast" of "Storm hits coast | The Herald" or "… - The Herald".
    static func stripSite(_ title: String, site: String?) -> String {
        for separator in [" | ", " - ", " \u{2013} ", " \u{2014} ", " :: ", " \u{00B7} "] {
            guard let r = title.range(of: separator, options: .backwards) else { continue }
            let head = String(title[..<r.lowerBound])
            let tail = String(title[r.upperBound...])
            if let site, tail.lowercased().contains(site.lowercased()) || site.lowercased().contains(tail.lowercased())
            {
                return head
            }
            // Without a known site name, a short last part is taken for it.
            if tail.split(separator: " ").count <= 4 && head.split(separator: " ").count >= 3 { return head }
        }
        return title
    }
}

extension String {
    fileprivate var leftPad: String { count == 1 ? "0" + self : self }
}
