import Foundation
import Testing

/// Tests of the test helper itself: a validator that accepts everything (or rejects the wrong
/// thing) would make every digest-schema check in this target meaningless.
///
/// Every broken case below is the valid digest with one small edit, and must give exactly one
/// violation, at the expected path. Most are cases a naive validator gets wrong: booleans taken for
/// numbers through NSNumber bridging, 3.0 vs 3.5, ICU's `$` matching before a trailing newline,
/// Swift's `==` on strings being canonical equivalence, `Character` counts instead of code points.
@Suite struct JSONSchemaValidatorTests {
    /// package root = three levels up from Tests/NewsDigestEndToEndTests/JSONSchemaValidatorTests.swift
    static let schemaURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/NewsDigestEndToEndTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("schema/digest.schema.json")

    static func digestValidator() throws -> JSONSchemaValidator {
        try JSONSchemaValidator(schema: Data(contentsOf: schemaURL))
    }

    /// The smallest digest the schema allows: a day with no files.
    static let minimalDigest = #"""
        {"date": "2026-01-01",
         "counts": {"files": 0, "articles": 0, "stories": 0, "near_duplicates": 0, "exact_duplicates": 0, "rejected": 0},
         "stories": [], "exact_duplicates": [], "rejected": []}
        """#

    /// A realistic day: two stories (one with a near duplicate), an exact duplicate and a rejection.
    /// Each line that a broken case edits is unique in the text.
    static let digest = #"""
        {
          "date": "2026-03-14",
          "counts": {"files": 6, "articles": 4, "stories": 2, "near_duplicates": 1, "exact_duplicates": 1, "rejected": 1},
          "stories": [
            {
              "id": "s-7d41c2",
              "thread": "2026-03-12/s-7d41c2",
              "headline": "ECB holds rates steady as inflation cools",
              "sources": ["Reuters", "AP"],
              "summary": [
                {"text": "The European Central Bank left its deposit rate at 2.5% on Thursday.", "article": "a-19e0b7", "source": "Reuters"},
                {"text": "Policymakers said inflation was moving towards the 2% target.", "article": "a-52c8f1", "source": "AP"}
              ],
              "articles": [
                {"id": "a-19e0b7", "file": "reuters/ecb-rates.txt", "source": "Reuters", "title": "ECB holds rates steady", "status": "new", "duplicate_of": null},
                {"id": "a-52c8f1", "file": "ap/ecb.html", "source": "AP", "title": "ECB keeps rates unchanged", "status": "new", "duplicate_of": null},
                {"id": "a-8a03de", "file": "ap/ecb-update.html", "source": "AP", "title": "", "status": "near_duplicate", "duplicate_of": "a-52c8f1"}
              ]
            },
            {
              "id": "s-c0ffee",
              "thread": "2026-03-14/s-c0ffee",
              "headline": "Storm closes Alpine passes",
              "sources": ["SRF"],
              "summary": [{"text": "Snow closed the Gotthard and Susten passes overnight.", "article": "a-e4471a", "source": "SRF"}],
              "articles": [{"id": "a-e4471a", "file": "srf/sturm-p%C3%A4sse.txt", "source": "SRF", "title": "Sturm über den Alpen", "status": "new", "duplicate_of": null}]
            }
          ],
          "exact_duplicates": [{"file": "reuters/ecb-rates (1).txt", "duplicate_of": "a-19e0b7"}],
          "rejected": [{"file": "inbox/empty.txt", "reason": "no text after extraction"}]
        }
        """#

    /// `digest` with `target` (which must occur exactly once) replaced.
    static func edited(_ target: String, _ replacement: String) throws -> Data {
        let parts = digest.components(separatedBy: target)
        try #require(parts.count == 2, "\(target) must occur exactly once in the sample digest")
        return Data(parts.joined(separator: replacement).utf8)
    }

    @Test func minimalDigestIsValid() throws {
        #expect(try Self.digestValidator().validate(Data(Self.minimalDigest.utf8)) == [])
    }

    @Test func realisticDigestIsValid() throws {
        #expect(try Self.digestValidator().validate(Data(Self.digest.utf8)) == [])
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        let what: String
        let target: String
        let replacement: String
        let path: String
        let message: String
        var testDescription: String { what }
    }

    static let broken: [Broken] = [
        Broken(
            what: "missing counts",
            target:
                #""counts": {"files": 6, "articles": 4, "stories": 2, "near_duplicates": 1, "exact_duplicates": 1, "rejected": 1},"#,
            replacement: "", path: "/counts", message: "required property is missing"),
        Broken(
            what: "missing summary source",
            target: #""article": "a-e4471a", "source": "SRF"}"#, replacement: #""article": "a-e4471a"}"#,
            path: "/stories/1/summary/0/source", message: "required property is missing"),
        Broken(
            what: "status old",
            target: #""status": "near_duplicate""#, replacement: #""status": "old""#,
            path: "/stories/0/articles/2/status", message: "not one of [new, near_duplicate]"),
        Broken(
            what: "article duplicate_of a number",
            target: #""duplicate_of": "a-52c8f1""#, replacement: #""duplicate_of": 52"#,
            path: "/stories/0/articles/2/duplicate_of", message: "expected string or null, got integer"),
        Broken(
            what: "article duplicate_of false",
            target: #""duplicate_of": "a-52c8f1""#, replacement: #""duplicate_of": false"#,
            path: "/stories/0/articles/2/duplicate_of", message: "expected string or null, got boolean"),
        Broken(
            what: "exact duplicate_of null (string only there)",
            target: #""duplicate_of": "a-19e0b7""#, replacement: #""duplicate_of": null"#,
            path: "/exact_duplicates/0/duplicate_of", message: "expected string, got null"),
        Broken(
            what: "date 2026-1-1",
            target: #""date": "2026-03-14""#, replacement: #""date": "2026-1-1""#,
            path: "/date", message: "does not match pattern"),
        Broken(
            what: "date with a time after it",
            target: #""date": "2026-03-14""#, replacement: #""date": "2026-03-14T00:00""#,
            path: "/date", message: "does not match pattern"),
        Broken(
            what: "date with a trailing newline (ICU $ would allow it)",
            target: #""date": "2026-03-14""#, replacement: #""date": "2026-03-14\n""#,
            path: "/date", message: "does not match pattern"),
        Broken(
            what: "empty rejected file",
            target: #""file": "inbox/empty.txt""#, replacement: #""file": """#,
            path: "/rejected/0/file", message: "length 0 is less than minLength 1"),
        Broken(
            what: "empty article file",
            target: #""file": "srf/sturm-p%C3%A4sse.txt""#, replacement: #""file": """#,
            path: "/stories/1/articles/0/file", message: "length 0 is less than minLength 1"),
        Broken(
            what: "story without a thread",
            target: #""thread": "2026-03-14/s-c0ffee","#, replacement: "",
            path: "/stories/1/thread", message: "required property is missing"),
        Broken(
            what: "empty absorbed threads",
            target: #""thread": "2026-03-14/s-c0ffee","#, replacement: #""thread": "t", "absorbed": [],"#,
            path: "/stories/1/absorbed", message: "minItems"),
        Broken(
            what: "empty story id",
            target: #""id": "s-c0ffee""#, replacement: #""id": """#,
            path: "/stories/1/id", message: "minLength 1"),
        Broken(
            what: "negative count",
            target: #""near_duplicates": 1"#, replacement: #""near_duplicates": -1"#,
            path: "/counts/near_duplicates", message: "-1 is less than minimum 0"),
        Broken(
            what: "a fraction that truncates to a valid integer",
            target: #""near_duplicates": 1"#, replacement: #""near_duplicates": 0.5"#,
            path: "/counts/near_duplicates", message: "expected integer, got number"),
        Broken(
            what: "story with no articles",
            target:
                #""articles": [{"id": "a-e4471a", "file": "srf/sturm-p%C3%A4sse.txt", "source": "SRF", "title": "Sturm über den Alpen", "status": "new", "duplicate_of": null}]"#,
            replacement: #""articles": []"#,
            path: "/stories/1/articles", message: "0 items, fewer than minItems 1"),
        Broken(
            what: "boolean true where an integer is required",
            target: #""stories": 2,"#, replacement: #""stories": true,"#,
            path: "/counts/stories", message: "expected integer, got boolean"),
        Broken(
            what: "boolean false where an integer is required",
            target: #""files": 6,"#, replacement: #""files": false,"#,
            path: "/counts/files", message: "expected integer, got boolean"),
        Broken(
            what: "3.5 where an integer is required",
            target: #""files": 6,"#, replacement: #""files": 3.5,"#,
            path: "/counts/files", message: "expected integer, got number"),
        Broken(
            what: "integer as a string",
            target: #""files": 6,"#, replacement: #""files": "6","#,
            path: "/counts/files", message: "expected integer, got string"),
        Broken(
            what: "sources holding a number",
            target: #""sources": ["SRF"]"#, replacement: #""sources": ["SRF", 7]"#,
            path: "/stories/1/sources/1", message: "expected string, got integer"),
        Broken(
            what: "exact_duplicates an object",
            target: #""exact_duplicates": [{"file": "reuters/ecb-rates (1).txt", "duplicate_of": "a-19e0b7"}],"#,
            replacement: #""exact_duplicates": {"file": "reuters/ecb-rates (1).txt", "duplicate_of": "a-19e0b7"},"#,
            path: "/exact_duplicates", message: "expected array, got object"),
    ]

    @Test(arguments: broken)
    func brokenDigestIsRejectedAtThePath(_ c: Broken) throws {
        let violations = try Self.digestValidator().validate(Self.edited(c.target, c.replacement))
        #expect(violations.count == 1, "\(violations)")
        let violation = try #require(violations.first)
        #expect(violation.hasPrefix(c.path + ": "), "\(violation)")
        #expect(violation.contains(c.message), "\(violation)")
    }

    @Test(
        arguments: [
            (#""files": 6,"#, #""files": 3,"#),
            (#""files": 6,"#, #""files": 3.0,"#),  // 2020-12: a number with zero fractional part is an integer
            (#""files": 6,"#, #""files": 3e0,"#),
            (#""files": 6,"#, #""files": 12345678901234567890,"#),  // above Int64.max: arrives as UInt64, no `as? Int`
            (#""rejected": 1}"#, #""rejected": 0}"#),  // minimum is inclusive
            // no additionalProperties
            (#""title": "", "status""#, #""title": "", "extra": {"anything": [1, true]}, "status""#),
        ] as [(String, String)])
    func acceptedEdits(_ target: String, _ replacement: String) throws {
        #expect(try Self.digestValidator().validate(Self.edited(target, replacement)) == [])
    }

    @Test func reportsEveryViolationNotJustTheFirst() throws {
        let document = #"""
            {"date": "today", "counts": {"files": -1, "articles": true, "stories": 0, "near_duplicates": 0, "exact_duplicates": 0},
             "stories": [{"id": "s", "thread": "t", "headline": "h", "sources": [], "summary": [], "articles": []}],
             "exact_duplicates": [], "rejected": [{"file": "f"}]}
            """#
        let violations = try Self.digestValidator().validate(Data(document.utf8))
        let paths = Set(violations.map { String($0.prefix { $0 != ":" }) })
        #expect(
            paths == [
                "/date", "/counts/files", "/counts/articles", "/counts/rejected",
                "/stories/0/articles", "/rejected/0/reason",
            ], "\(violations)")
    }

    @Test func wrongTopLevelTypeIsReportedAtTheRoot() throws {
        #expect(try Self.digestValidator().validate(Data("[]".utf8)) == ["/: expected object, got array"])
    }

    @Test func unreadableDocumentsThrow() throws {
        let validator = try Self.digestValidator()
        #expect(throws: (any Error).self) { try validator.validate(Data("{\"date\": ".utf8)) }
        #expect(throws: (any Error).self) { try validator.validate(Data("\"2026-01-01\"".utf8)) }  // fragment
        #expect(throws: (any Error).self) { try validator.validate(Data()) }
    }

    // MARK: semantics the digest schema relies on, checked with small inline schemas

    static func validate(_ schema: String, _ document: String) throws -> [String] {
        try JSONSchemaValidator(schema: Data(schema.utf8)).validate(Data(document.utf8))
    }

    @Test func minLengthCountsCodePoints() throws {
        let schema = #"{"type": "array", "items": {"type": "string", "minLength": 2}}"#
        // "e" + combining acute: one Character, two code points; "😀": one code point, two UTF-16 units.
        #expect(try Self.validate(schema, #"["e\u0301"]"#) == [])
        #expect(try Self.validate(schema, #"["😀"]"#) == ["/0: length 1 is less than minLength 2"])
    }

    @Test func enumComparesCodePointsNotCanonicalEquivalence() throws {
        let schema = #"{"type": "array", "items": {"enum": ["\u00e9", 1, null]}}"#
        #expect(try Self.validate(schema, #"["\u00e9", 1.0, null]"#) == [])
        #expect(try Self.validate(schema, #"["e\u0301"]"#).count == 1)
        #expect(try Self.validate(schema, #"[true]"#).count == 1)  // true is not 1
    }

    @Test func patternIsUnanchoredUnlessWrittenSo() throws {
        let schema = #"{"type": "array", "items": {"pattern": "[0-9]"}}"#
        #expect(try Self.validate(schema, #"["ab1c", 5]"#) == [])  // pattern ignores non-strings
        #expect(try Self.validate(schema, #"["abc"]"#) == [#"/0: "abc" does not match pattern [0-9]"#])
    }

    @Test func pointerTokensAreEscaped() throws {
        let schema = #"{"type": "object", "required": ["a/b", "c~d"]}"#
        #expect(
            try Self.validate(schema, "{}") == [
                "/a~1b: required property is missing", "/c~0d: required property is missing",
            ])
    }

    @Test(arguments: [
        #"{"type": "object", "additionalProperties": false}"#,
        ##"{"properties": {"x": {"$ref": "#/$defs/x"}}}"##,
        #"{"items": {"maxLength": 3}}"#,
        #"{"items": [{"type": "string"}]}"#,
        #"{"items": true}"#,
        #"{"type": "float"}"#,
        #"{"minimum": "0"}"#,
        #"{"minLength": 1.5}"#,
        #"{"required": "id"}"#,
        #"{"pattern": "^\\d+$"}"#,
        #"{"pattern": "(?i)abc"}"#,
        #"{"pattern": "[a-z"}"#,
        #"{"$schema": "http://json-schema.org/draft-07/schema#"}"#,
    ])
    func unsupportedOrMalformedSchemasThrow(_ schema: String) {
        #expect(throws: JSONSchemaValidator.SchemaError.self) { try JSONSchemaValidator(schema: Data(schema.utf8)) }
    }
}
