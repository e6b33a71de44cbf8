import Testing

@testable import NewsDigest

@Suite struct ArticleReaderTests {
    static func read(_ text: String, name: String = "a.txt", folder: String? = "outlet") -> Result<
        RawArticle, Rejection
    > {
        ArticleReader.read(bytes: Array(text.utf8), fileName: name, folderSource: folder)
    }

    @Test(arguments: [
        ("Bridge closed after barge strike", true),
        ("Is the bridge safe?", true),
        ("The bridge closed on Tuesday after a barge hit it, officials said.", false),
        (
            "Officials said the bridge would stay closed for weeks while engineers inspected the pier and the bearings under it",
            false
        ),
        ("\"We will rebuild,\" mayor says", true),
        ("Quote ends the line.\"", false),
        ("", false),
    ])
    func headlineDetection(_ line: String, _ isHeadline: Bool) {
        #expect(ArticleReader.looksLikeHeadline(line) == isHeadline)
    }

    @Test func firstParagraphIsNotTakenForAHeadline() throws {
        let raw = try Self.read("The bridge closed on Tuesday, officials said.\nRepairs will take weeks.").get()
        #expect(raw.title == "")
        #expect(raw.text.hasPrefix("The bridge closed"))
        #expect(raw.source == "outlet")
    }

    @Test func headlineOnlyIsAValidArticle() throws {
        let raw = try Self.read("Bridge closed after barge strike\n").get()
        #expect(raw.title == "Bridge closed after barge strike")
        #expect(raw.text == "")
    }

    @Test func markdownHeadingIsStripped() throws {
        let raw = try Self.read("# Bridge closed\n\nBody text here.", name: "a.md").get()
        #expect(raw.title == "Bridge closed")
    }

    @Test func jsonFieldsAndFallbacks() throws {
        let raw = try Self.read(
            #"{"headline": "H", "maintext": "Body.", "source_domain": "ex.org", "date_publish": "2026-03-01 10:00"}"#,
            name: "a.json"
        ).get()
        #expect(raw.title == "H")
        #expect(raw.text == "Body.")
        #expect(raw.source == "ex.org")
        #expect(raw.date == "2026-03-01 10:00")
        let noSource = try Self.read(#"{"title": "H", "text": "Body."}"#, name: "b.json", folder: nil).get()
        #expect(noSource.source == "unknown")
    }

    @Test(arguments: [
        ("", "a.txt", "empty"),
        ("   \n\n  ", "a.txt", "white space"),
        ("<html></html>", "a.html", "no article text found in the page"),
        ("%PDF-1.4 stuff", "a.pdf", "unsupported file type"),
        (#"{"title": "x", "text": "#, "a.json", "invalid JSON"),
        (#""title and text""#, "a.json", "wrong shape"),
        // An array is a batch: its records are read one by one (BatchSplitter), never as one article.
        (#"["title", "text"]"#, "a.json", "a batch of records"),
        (#"{"title": "x"}"#, "a.jsonl", "a batch of records"),
        (#"{"title": 3, "text": "x"}"#, "a.json", "must be a string"),
        (#"{"url": "x"}"#, "a.json", "neither a title nor a text"),
        ("a\u{0}b", "a.txt", "NUL"),
    ])
    func rejections(_ text: String, _ name: String, _ reason: String) {
        switch Self.read(text, name: name) {
        case .success(let raw): Issue.record("accepted: \(raw)")
        case .failure(let r): #expect(r.reason.contains(reason), "\(r.reason)")
        }
    }

    @Test func brokenUTF8IsRejectedWithItsOffset() {
        // Valid UTF-8 ("é") before the broken byte: this is UTF-8 gone wrong, not Latin-1.
        let result = ArticleReader.read(
            bytes: Array("ok tëxt".utf8) + [0xC3, 0x28], fileName: "a.txt", folderSource: nil)
        guard case .failure(let r) = result else {
            Issue.record("accepted invalid UTF-8")
            return
        }
        #expect(r.reason.contains("UTF-8") && r.reason.contains("offset 8"))
    }

    @Test func latin1IsDecodedAndSaysSo() throws {
        // "Café owners" / "Prices rose – again – by 5 €." in Windows-1252.
        let bytes: [UInt8] =
            Array("Caf".utf8) + [0xE9] + Array(" owners protest\nPrices rose ".utf8) + [0x96]
            + Array(" again ".utf8) + [0x96] + Array(" by 5 ".utf8) + [0x80] + Array(".".utf8)
        let raw = try ArticleReader.read(bytes: bytes, fileName: "a.txt", folderSource: nil).get()
        #expect(raw.title == "Café owners protest")
        #expect(raw.text == "Prices rose — again — by 5 €.")  // the normalizer makes spaced en dashes em dashes
        #expect(raw.encoding == "Windows-1252 (Latin-1)")
    }

    @Test(arguments: [
        ([0x41, 0x81, 0x42] as [UInt8], "no Windows-1252 character"),  // 0x81: nothing in Windows-1252
        (Array(repeating: 0xE9 as UInt8, count: 40) + Array("ab".utf8), "outside ASCII"),
        (Array("text".utf8) + [0xE9, 0x01], "control byte"),
    ])
    func bytesThatAreNeitherUTF8NorLatin1AreRejected(bytes: [UInt8], says: String) {
        guard case .failure(let r) = ArticleReader.read(bytes: bytes, fileName: "a.txt", folderSource: nil) else {
            Issue.record("accepted \(bytes)")
            return
        }
        #expect(r.reason.contains(says), "\(r.reason)")
    }

    @Test func utf16WithBOMIsDecoded() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "Headline\nBody text.".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let raw = try ArticleReader.read(bytes: bytes, fileName: "a.txt", folderSource: nil).get()
        #expect(raw.title == "Headline")
        #expect(raw.text == "Body text.")
        #expect(raw.encoding == "UTF-16LE")
    }

    @Test func utf8IsNotMarked() throws {
        #expect(try Self.read("Title\nBody.").get().encoding == nil)
    }
}
