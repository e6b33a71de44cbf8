import Foundation

/// Validates a JSON document against the subset of JSON Schema 2020-12 that schema/digest.schema.json uses.
///
/// Supported keywords: `type`, `enum`, `pattern`, `minLength`, `minimum`, `minItems`, `required`,
/// `properties`, `items`, plus the annotations `$schema` (must name draft 2020-12), `$id`, `title` and
/// `description`, which are checked for shape and otherwise ignored. Any other keyword, and boolean
/// subschemas, make `init(schema:)` throw, so a schema change can never be silently ignored.
///
/// Semantics follow the specification, not Foundation's defaults:
/// - JSON booleans are never numbers, although `JSONSerialization` hands both over as `NSNumber`
///   (and on Linux `NSNumber` 0/1 bridge to `Bool` and `true`/`false` bridge to `Int`).
/// - "integer" is any number whose fractional part is zero (so `3.0` is an integer, `3.5` is not).
/// - `minLength` counts Unicode code points, not `Character`s and not UTF-16 units.
/// - `enum` compares strings code point by code point (Swift's `==` is canonical equivalence).
/// - `pattern` is ECMA-262 and unanchored: it must match somewhere unless it anchors itself. It is run
///   with `NSRegularExpression` (ICU) after translating the constructs where the two dialects differ
///   (`$` and `.`); constructs that cannot be translated exactly make `init(schema:)` throw.
///
/// Violations are reported as `"path: message"`, where path is a JSON pointer into the document
/// (`/stories/0/articles/2/status`), `/` for the document itself. A missing required property is
/// reported at the path it should have had (`/counts: required property is missing`).
struct JSONSchemaValidator: Sendable {
    /// The schema itself is malformed, or uses something this validator does not support.
    struct SchemaError: Error, CustomStringConvertible, Sendable {
        /// where in the schema, as `#/properties/stories/items`
        let location: String
        let message: String
        var description: String { "schema \(location): \(message)" }
    }

    /// The schema or the document is not JSON that this validator can read.
    struct ParseError: Error, CustomStringConvertible, Sendable {
        let message: String
        var description: String { message }
    }

    private let root: Schema

    init(schema: Data) throws {
        root = try Schema(Value.parse(schema, what: "schema"), at: "#")
    }

    /// every violation, each as "path: message" with a JSON-pointer-like path (e.g. "/stories/0/articles/2/status: not one of [new, near_duplicate]"); empty = valid
    func validate(_ document: Data) throws -> [String] {
        var violations: [String] = []
        root.check(try Value.parse(document, what: "document"), at: "", into: &violations)
        return violations
    }
}

// MARK: - JSON values

extension JSONSchemaValidator {
    fileprivate indirect enum Value: Sendable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Value])
        case object([String: Value])

        static func parse(_ data: Data, what: String) throws -> Value {
            let any: Any
            do {
                any = try JSONSerialization.jsonObject(with: data, options: [])
            } catch {
                throw ParseError(message: "\(what) is not valid JSON (top level must be an object or array): \(error)")
            }
            return try Value(any, what: what)
        }

        /// The class Foundation uses for JSON `true`/`false`; compared by identity, because every
        /// cast (`as? Bool`, `as? Int`, `as? Double`) succeeds on both booleans and numbers 0/1.
        private static let booleanClass = ObjectIdentifier(type(of: NSNumber(value: true)))

        private init(_ any: Any, what: String) throws {
            switch any {
            case is NSNull:
                self = .null
            case let string as String:
                self = .string(string)
            case let number as NSNumber:
                if ObjectIdentifier(type(of: number)) == Self.booleanClass {
                    self = .bool(number.boolValue)
                } else {
                    // doubleValue, not `as? Double`: integers above Int64.max arrive as UInt64 and do not bridge.
                    self = .number(number.doubleValue)
                }
            case let array as [Any]:
                self = .array(try array.map { try Value($0, what: what) })
            case let object as [String: Any]:
                self = .object(try object.mapValues { try Value($0, what: what) })
            default:
                throw ParseError(message: "\(what): unexpected value of type \(type(of: any)) from JSONSerialization")
            }
        }

        var isInteger: Bool {
            if case .number(let d) = self { return d.isFinite && d.rounded(.towardZero) == d }
            return false
        }

        /// the JSON Schema type name, "integer" for whole numbers
        var typeName: String {
            switch self {
            case .null: "null"
            case .bool: "boolean"
            case .number: isInteger ? "integer" : "number"
            case .string: "string"
            case .array: "array"
            case .object: "object"
            }
        }

        /// JSON Schema equality: numbers by value, strings by code points, objects regardless of order.
        func jsonEquals(_ other: Value) -> Bool {
            switch (self, other) {
            case (.null, .null): true
            case (.bool(let a), .bool(let b)): a == b
            case (.number(let a), .number(let b)): a == b
            case (.string(let a), .string(let b)): a.unicodeScalars.elementsEqual(b.unicodeScalars)
            case (.array(let a), .array(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.jsonEquals($1) }
            case (.object(let a), .object(let b)):
                a.count == b.count && a.allSatisfy { key, value in b[key].map(value.jsonEquals) ?? false }
            default: false
            }
        }

        /// compact JSON text, for messages
        var jsonText: String {
            switch self {
            case .null: return "null"
            case .bool(let b): return b ? "true" : "false"
            case .number(let d): return formatNumber(d)
            case .string(let s): return quote(s)
            case .array(let a): return "[" + a.map(\.jsonText).joined(separator: ",") + "]"
            case .object(let o):
                return "{" + o.keys.sorted().map { quote($0) + ":" + o[$0]!.jsonText }.joined(separator: ",") + "}"
            }
        }
    }
}

private func formatNumber(_ d: Double) -> String {
    if d.isFinite, d.rounded(.towardZero) == d, abs(d) < 1e15 { return String(Int64(d)) }
    return String(d)
}

private func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// one JSON pointer reference token
private func pointerToken(_ name: String) -> String {
    name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
}

// MARK: - Schema tree

extension JSONSchemaValidator {
    private enum TypeName: String, Sendable, CaseIterable {
        case null, boolean, object, array, number, string, integer

        func matches(_ value: Value) -> Bool {
            switch (self, value) {
            case (.null, .null), (.boolean, .bool), (.number, .number), (.string, .string),
                (.array, .array), (.object, .object):
                true
            case (.integer, _): value.isInteger
            default: false
            }
        }
    }

    private struct Property: Sendable {
        let name: String
        let schema: Schema
    }

    /// A compiled `pattern`: the ECMA-262 source as written, and its exact ICU equivalent.
    private struct Pattern: Sendable {
        let source: String
        let regex: NSRegularExpression

        func matches(_ s: String) -> Bool {
            regex.firstMatch(in: s, options: [], range: NSRange(s.startIndex..., in: s)) != nil
        }
    }

    private final class Schema: Sendable {
        static let draft = "https://json-schema.org/draft/2020-12/schema"
        static let keywords: Set<String> = [
            "$schema", "$id", "title", "description",
            "type", "enum", "pattern", "minLength", "minimum", "minItems", "required", "properties", "items",
        ]

        let types: [TypeName]?
        let enumValues: [Value]?
        let pattern: Pattern?
        let minLength: Int?
        let minimum: Double?
        let minItems: Int?
        let required: [String]
        let properties: [Property]
        let items: Schema?

        init(_ json: Value, at location: String) throws {
            func fail(_ message: String, _ keyword: String? = nil) -> SchemaError {
                SchemaError(location: keyword.map { location + "/" + pointerToken($0) } ?? location, message: message)
            }
            guard case .object(let o) = json else {
                throw fail("a schema must be an object here, got \(json.typeName) (boolean schemas are not supported)")
            }
            if let unknown = o.keys.sorted().first(where: { !Self.keywords.contains($0) }) {
                throw fail(
                    "unsupported keyword \"\(unknown)\"; teach JSONSchemaValidator about it before using it", unknown)
            }

            for key in ["$id", "title", "description"] {
                if let v = o[key] {
                    guard case .string = v else { throw fail("must be a string, got \(v.jsonText)", key) }
                }
            }
            if let v = o["$schema"] {
                guard case .string(let s) = v, s == Self.draft else {
                    throw fail("only \(Self.draft) is supported, got \(v.jsonText)", "$schema")
                }
            }

            func nonNegativeInteger(_ key: String) throws -> Int? {
                guard let v = o[key] else { return nil }
                guard v.isInteger, case .number(let d) = v, d >= 0, d <= Double(Int32.max) else {
                    throw fail("must be a non-negative integer, got \(v.jsonText)", key)
                }
                return Int(d)
            }

            switch o["type"] {
            case nil:
                types = nil
            case .string(let name)?:
                guard let t = TypeName(rawValue: name) else { throw fail("unknown type \(quote(name))", "type") }
                types = [t]
            case .array(let names)?:
                var ts: [TypeName] = []
                for n in names {
                    guard case .string(let name) = n, let t = TypeName(rawValue: name) else {
                        throw fail("unknown type \(n.jsonText)", "type")
                    }
                    guard !ts.contains(t) else { throw fail("type \(quote(name)) listed twice", "type") }
                    ts.append(t)
                }
                guard !ts.isEmpty else { throw fail("must not be empty", "type") }
                types = ts
            case let v?:
                throw fail("must be a string or an array of strings, got \(v.jsonText)", "type")
            }

            switch o["enum"] {
            case nil: enumValues = nil
            case .array(let values)?: enumValues = values
            case let v?: throw fail("must be an array, got \(v.jsonText)", "enum")
            }

            switch o["pattern"] {
            case nil:
                pattern = nil
            case .string(let source)?:
                let icu = try ecmaToICU(source, fail: { fail($0, "pattern") })
                do {
                    pattern = Pattern(source: source, regex: try NSRegularExpression(pattern: icu, options: []))
                } catch {
                    throw fail("does not compile: \(quote(source)) (as ICU \(quote(icu))): \(error)", "pattern")
                }
            case let v?:
                throw fail("must be a string, got \(v.jsonText)", "pattern")
            }

            minLength = try nonNegativeInteger("minLength")
            minItems = try nonNegativeInteger("minItems")

            switch o["minimum"] {
            case nil: minimum = nil
            case .number(let d)?: minimum = d
            case let v?: throw fail("must be a number, got \(v.jsonText)", "minimum")
            }

            switch o["required"] {
            case nil:
                required = []
            case .array(let names)?:
                var rs: [String] = []
                for n in names {
                    guard case .string(let name) = n else {
                        throw fail("must contain only strings, got \(n.jsonText)", "required")
                    }
                    guard !rs.contains(where: { $0.unicodeScalars.elementsEqual(name.unicodeScalars) }) else {
                        throw fail("\(quote(name)) listed twice", "required")
                    }
                    rs.append(name)
                }
                required = rs
            case let v?:
                throw fail("must be an array of strings, got \(v.jsonText)", "required")
            }

            switch o["properties"] {
            case nil:
                properties = []
            case .object(let props)?:
                properties = try props.keys.sorted().map { name in
                    Property(
                        name: name, schema: try Schema(props[name]!, at: location + "/properties/" + pointerToken(name))
                    )
                }
            case let v?:
                throw fail("must be an object, got \(v.jsonText)", "properties")
            }

            switch o["items"] {
            case nil:
                items = nil
            case .array?:
                throw fail("the array form is not 2020-12 (that is prefixItems, which is not supported)", "items")
            case let v?:
                items = try Schema(v, at: location + "/items")
            }
        }

        /// Applies every keyword independently, as the specification does; the type-specific ones
        /// (minLength, minimum, items, …) only look at instances of their type.
        func check(_ value: Value, at path: String, into violations: inout [String]) {
            let here = path.isEmpty ? "/" : path
            if let types, !types.contains(where: { $0.matches(value) }) {
                violations.append(
                    "\(here): expected \(types.map(\.rawValue).joined(separator: " or ")), got \(value.typeName)")
            }
            if let enumValues, !enumValues.contains(where: { $0.jsonEquals(value) }) {
                let listed = enumValues.map { v -> String in
                    if case .string(let s) = v { return s }
                    return v.jsonText
                }
                violations.append("\(here): not one of [\(listed.joined(separator: ", "))]")
            }
            switch value {
            case .string(let s):
                if let minLength {
                    let length = s.unicodeScalars.count
                    if length < minLength {
                        violations.append("\(here): length \(length) is less than minLength \(minLength)")
                    }
                }
                if let pattern, !pattern.matches(s) {
                    violations.append("\(here): \(quote(s)) does not match pattern \(pattern.source)")
                }
            case .number(let d):
                if let minimum, d < minimum {
                    violations.append("\(here): \(formatNumber(d)) is less than minimum \(formatNumber(minimum))")
                }
            case .array(let elements):
                if let minItems, elements.count < minItems {
                    violations.append("\(here): \(elements.count) items, fewer than minItems \(minItems)")
                }
                if let items {
                    for (index, element) in elements.enumerated() {
                        items.check(element, at: "\(path)/\(index)", into: &violations)
                    }
                }
            case .object(let members):
                for name in required where members[name] == nil {
                    violations.append("\(path)/\(pointerToken(name)): required property is missing")
                }
                for property in properties {
                    if let member = members[property.name] {
                        property.schema.check(member, at: path + "/" + pointerToken(property.name), into: &violations)
                    }
                }
            case .null, .bool:
                break
            }
        }
    }
}

// MARK: - ECMA-262 pattern → ICU

/// Rewrites an ECMA-262 pattern (no flags) into an ICU pattern with the same meaning, throwing on
/// anything where the two dialects differ and no exact rewrite is done here:
/// - `$` means end of input in ECMA-262 but also "before a final line terminator" in ICU → `\z`;
/// - `.` excludes only \n \r U+2028 U+2029 in ECMA-262, more in ICU → an explicit class;
/// - `\d \w \s \b` are ASCII in ECMA-262 but Unicode in ICU, and ICU has escapes (`\z`, `\Q`, `\h`, …)
///   and set syntax (`[[a]]`, `&&`, `--`) that mean something else or nothing in ECMA-262 → rejected.
private func ecmaToICU(_ source: String, fail: (String) -> JSONSchemaValidator.SchemaError) throws -> String {
    let scalars = Array(source.unicodeScalars)
    let sameEscapes = Set("^$\\.*+?()[]{}|/-nrtf".unicodeScalars)
    var out = ""
    var inClass = false
    var i = 0
    func isHex(_ s: Unicode.Scalar) -> Bool { s.properties.isASCIIHexDigit }
    while i < scalars.count {
        let c = scalars[i]
        switch c {
        case "\\":
            guard i + 1 < scalars.count else { throw fail("pattern ends with a lone backslash") }
            let e = scalars[i + 1]
            if sameEscapes.contains(e) {
                out += "\\" + String(e)
                i += 2
            } else if e == "u", i + 5 < scalars.count, scalars[(i + 2)...(i + 5)].allSatisfy(isHex) {
                out += "\\u"
                out.unicodeScalars.append(contentsOf: scalars[(i + 2)...(i + 5)])
                i += 6
            } else {
                throw fail(
                    "escape \\\(e) is not supported (ECMA-262 and ICU differ or it is not translated); spell it out, e.g. [0-9] for \\d"
                )
            }
            continue
        case "[" where inClass:
            throw fail("unescaped [ inside a character class means set nesting in ICU; write \\[")
        case "&" where inClass && i + 1 < scalars.count && scalars[i + 1] == "&",
            "-" where inClass && i + 1 < scalars.count && scalars[i + 1] == "-":
            throw fail("\(c)\(c) inside a character class is a set operation in ICU; escape it")
        case "[":
            inClass = true
            out += "["
            if i + 1 < scalars.count, scalars[i + 1] == "^" {
                out += "^"
                i += 1
            }
            if i + 1 < scalars.count, scalars[i + 1] == "]" { throw fail("empty character class [] is not supported") }
        case "]" where inClass:
            inClass = false
            out += "]"
        case "$" where !inClass:
            out += "\\z"
        case "." where !inClass:
            out += "[^\\n\\r\\u2028\\u2029]"
        case "(" where !inClass && i + 1 < scalars.count && scalars[i + 1] == "?":
            var rest = ""
            rest.unicodeScalars.append(contentsOf: scalars[(i + 2)...])
            guard let opener = [":", "=", "!", "<=", "<!"].first(where: { rest.hasPrefix($0) }) else {
                throw fail("group syntax (?\(rest.prefix(2))… is not supported (inline flags, named groups)")
            }
            out += "(?" + opener
            i += 2 + opener.unicodeScalars.count
            continue
        default:
            out.unicodeScalars.append(c)
        }
        i += 1
    }
    guard !inClass else { throw fail("unterminated character class") }
    return out
}
