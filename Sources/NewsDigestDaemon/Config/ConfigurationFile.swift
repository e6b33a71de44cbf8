import Foundation
import NewsDigest
import TOMLKit

/// Reads a TOML config file. Every problem is reported, not only the first, each with its line:
/// an operator fixing a config should not have to run the check once per mistake.
public enum ConfigurationFile {
    public static func load(path: String) throws(ConfigurationList) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationList([
                ConfigurationError(file: path, line: nil, message: "cannot read: \(error.localizedDescription)")
            ])
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(ConfigurationList) -> Configuration {
        let syntax = ConfigurationSyntax.problems(in: text, file: file)
        if !syntax.isEmpty { throw ConfigurationList(syntax) }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationList([
                ConfigurationError(file: file, line: error.source.begin.line, message: error.description)
            ])
        } catch {
            throw ConfigurationList([ConfigurationError(file: file, line: nil, message: "\(error)")])
        }
        var config = Configuration()
        var errors: [ConfigurationError] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        func line(of key: String, in section: String?) -> Int? {
            var current: String?
            for (i, l) in lines.enumerated() {
                let t = l.trimmingCharacters(in: .whitespaces)
                if t.hasPrefix("[") {
                    current = t.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                    continue
                }
                if current == section, t.hasPrefix(key),
                    t.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=")
                {
                    return i + 1
                }
            }
            return nil
        }
        func fail(_ key: String, _ section: String?, _ message: String) {
            let name = section.map { "\($0).\(key)" } ?? key
            errors.append(
                ConfigurationError(file: file, line: line(of: key, in: section), message: "\(name): \(message)"))
        }

        typealias Setter = (any TOMLValueConvertible, String, String?) -> Void
        func string(_ assign: @escaping (String) -> String?) -> Setter {
            { value, key, section in
                guard let s = value.string else { return fail(key, section, "must be a string") }
                if let problem = assign(s) { fail(key, section, problem) }
            }
        }
        func int(_ range: ClosedRange<Int>, _ assign: @escaping (Int) -> Void) -> Setter {
            { value, key, section in
                guard let i = value.int else { return fail(key, section, "must be a whole number") }
                guard range.contains(i) else {
                    return fail(key, section, "\(i) is out of range (\(range.lowerBound) to \(range.upperBound))")
                }
                assign(i)
            }
        }
        func double(_ range: ClosedRange<Double>, _ assign: @escaping (Double) -> Void) -> Setter {
            { value, key, section in
                guard let d = value.double ?? value.int.map(Double.init) else {
                    return fail(key, section, "must be a number")
                }
                guard range.contains(d) else {
                    return fail(key, section, "\(d) is out of range (\(range.lowerBound) to \(range.upperBound))")
                }
                assign(d)
            }
        }
        func bool(_ assign: @escaping (Bool) -> Void) -> Setter {
            { value, key, section in
                guard let b = value.bool else { return fail(key, section, "must be true or false") }
                assign(b)
            }
        }
        func path(_ assign: @escaping (String) -> Void) -> Setter {
            string { s in
                guard s.hasPrefix("/") else { return "must be an absolute path" }
                assign(s)
                return nil
            }
        }

        let schema: [String?: [String: Setter]] = [
            "paths": [
                "drop": path { config.drop = $0 },
                "state": path { config.state = $0 },
                "digests": path { config.digests = $0 },
            ],
            "digest": [
                "timezone": string { s in
                    guard s == "local" || TimeZone(identifier: s) != nil else {
                        return "unknown time zone \"\(s)\" (use an IANA name such as \"Europe/Berlin\", or \"local\")"
                    }
                    config.timeZone = s
                    return nil
                },
                "summary_words": int(10...2000) { config.summaryWords = $0 },
                "summary_sentences": int(0...100) { config.summarySentences = $0 },
                "base_url": string { s in
                    guard s.isEmpty || s.hasPrefix("https://") || s.hasPrefix("http://") else {
                        return "must be an http or https URL, or empty"
                    }
                    config.baseURL = s
                    return nil
                },
                "feed_authority": string { s in
                    guard s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }),
                        s.utf8.allSatisfy({ $0 < 0x80 })
                    else {
                        return "must be a host name (letters, digits, dots and dashes), or empty"
                    }
                    config.feedAuthority = s
                    return nil
                },
                "feed_days": int(1...366) { config.feedDays = $0 },
                "feed_threads": bool { config.feedThreads = $0 },
                "keep_days": int(0...100_000) { config.keepDays = $0 },
            ],
            "input": [
                "max_file_bytes": int(1...(1 << 30)) { config.maxFileBytes = $0 },
                "max_html_bytes": int(1...(1 << 30)) { config.maxHTMLBytes = $0 },
                "max_batch_bytes": int(1...(1 << 40)) { config.maxBatchBytes = $0 },
                "quiet_ms": int(0...3_600_000) { config.quietMilliseconds = $0 },
                "settle_ms": int(0...600_000) { config.settleMilliseconds = $0 },
                "after_ingest": string { s in
                    guard let a = Configuration.AfterIngest(rawValue: s) else {
                        return "must be \"archive\", \"delete\" or \"keep\", not \"\(s)\""
                    }
                    config.afterIngest = a
                    return nil
                },
            ],
            "grouping": [
                "near_duplicate_containment": double(0.3...1.0) { config.grouping.containmentThreshold = $0 },
                "story_similarity": double(0.01...1.0) { config.grouping.storyThreshold = Float($0) },
                "story_day_gate": int(0...365) { config.grouping.dayGate = $0 },
                "thread_window_days": int(0...30) { config.grouping.threadWindowDays = $0 },
            ],
            "daemon": [
                "workers": int(0...256) { config.workers = $0 },
                "queue_capacity": int(16...1_000_000) { config.queueCapacity = $0 },
                "digest_delay_ms": int(0...600_000) { config.digestDelayMilliseconds = $0 },
                "syslog": bool { config.syslog = $0 },
            ],
            "metrics": [
                "textfile": string { s in
                    guard s.isEmpty || s.hasPrefix("/") else { return "must be an absolute path, or empty for none" }
                    guard s.isEmpty || s.hasSuffix(".prom") else {
                        return "must end in .prom (node_exporter's textfile collector reads only those)"
                    }
                    config.metricsTextfile = s
                    return nil
                }
            ],
        ]

        for key in table.keys.sorted() {
            guard let value = table[key] else { continue }
            guard let section = schema[key] else {
                fail(
                    key, nil,
                    "unknown key or section (known sections: \(schema.keys.compactMap { $0 }.sorted().joined(separator: ", ")))"
                )
                continue
            }
            guard let sub = value.table else {
                fail(key, nil, "must be a section ([\(key)])")
                continue
            }
            for inner in sub.keys.sorted() {
                guard let v = sub[inner] else { continue }
                guard let setter = section[inner] else {
                    fail(inner, key, "unknown key (known: \(section.keys.sorted().joined(separator: ", ")))")
                    continue
                }
                setter(v, inner, key)
            }
        }
        if !errors.isEmpty { throw ConfigurationList(errors) }
        return config
    }
}

/// All the problems found in one config file.
public struct ConfigurationList: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigurationError]
    public init(_ errors: [ConfigurationError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
