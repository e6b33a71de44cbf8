import Foundation

/// Runs the built `newsdigest` binary the way a user does, in throwaway folders.
enum Harness {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var fixtures: URL { packageRoot.appendingPathComponent("Tests/Fixtures") }
    static var seeds: URL { packageRoot.appendingPathComponent("Examples/seeds") }

    /// The binary next to the test bundle (SwiftPM builds both into the same products folder),
    /// or the one `NEWSDIGEST_TEST_BINARY` names (a release build, another version).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["NEWSDIGEST_TEST_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        let products = Bundle.main.bundleURL
        let candidates = [
            products.appendingPathComponent("newsdigest"),
            products.deletingLastPathComponent().appendingPathComponent("newsdigest"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], executable: String? = nil) throws
        -> Result
    {
        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, or a chatty child blocks on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh folder under the system temp dir, removed by the caller's `defer`.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("newsdigest-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A work area with drop/, state/ and digests/, the drop folder a copy of `source`.
    struct Workspace {
        let root: URL
        var drop: URL { root.appendingPathComponent("drop") }
        var state: URL { root.appendingPathComponent("state") }
        var digests: URL { root.appendingPathComponent("digests") }

        init(copying source: URL?) throws {
            root = try Harness.temporaryFolder()
            if let source {
                try FileManager.default.copyItem(at: source, to: drop)
            } else {
                try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true)
            }
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        @discardableResult
        func once(keepInputs: Bool = false, config: URL? = nil) throws -> Result {
            var args = ["once", "--drop", drop.path, "--state", state.path, "--digests", digests.path]
            if keepInputs { args.append("--keep-inputs") }
            if let config { args += ["--config", config.path] }
            return try Harness.run(args)
        }

        /// The day files the digests folder holds (name pattern YYYY-MM-DD.json).
        func digestFiles(_ ext: String) throws -> [URL] {
            try FileManager.default.contentsOfDirectory(at: digests, includingPropertiesForKeys: nil)
                .filter {
                    $0.lastPathComponent.range(of: #"^\d{4}-\d{2}-\d{2}\."# + ext + "$", options: .regularExpression)
                        != nil
                }
                .sorted { $0.path < $1.path }
        }

        func digestJSON() throws -> (data: Data, object: [String: Any]) {
            let files = try digestFiles("json")
            guard files.count == 1 else { throw HarnessError("expected one JSON digest, found \(files.count)") }
            let data = try Data(contentsOf: files[0])
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw HarnessError("digest is not a JSON object")
            }
            return (data, object)
        }
    }

    /// A config that pins the time zone, so a run near midnight somewhere cannot split a test.
    static func utcConfig(in folder: URL, extra: String = "") throws -> URL {
        let url = folder.appendingPathComponent("test.toml")
        try ("[digest]\ntimezone = \"UTC\"\n" + extra).write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Typed views of the digest JSON, for assertions.
extension Dictionary where Key == String, Value == Any {
    var stories: [[String: Any]] { self["stories"] as? [[String: Any]] ?? [] }
    var counts: [String: Int] { self["counts"] as? [String: Int] ?? [:] }
    var exactDuplicates: [[String: Any]] { self["exact_duplicates"] as? [[String: Any]] ?? [] }
    var rejected: [[String: Any]] { self["rejected"] as? [[String: Any]] ?? [] }
    var articles: [[String: Any]] { self["articles"] as? [[String: Any]] ?? [] }
    var summary: [[String: Any]] { self["summary"] as? [[String: Any]] ?? [] }
}
