import Foundation
import Glibc
import Testing

/// The JSON's `file` names every input exactly: a valid UTF-8 name as it is, a name that is not
/// UTF-8 with its bytes as %XX (and `file_escaped: true`), so names that look alike stay apart
/// and each leads back to its own file in the archive.
@Suite struct FileNameTests {
    /// Writes `text` under a name given as bytes (which need not be UTF-8).
    static func write(_ text: String, name: [UInt8], in folder: URL) throws {
        let path = Array(folder.path.utf8) + [0x2F] + name + [0]
        let fd = path.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        }
        guard fd >= 0 else { throw HarnessError("cannot create \(name): errno \(errno)") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard Glibc.write(fd, bytes, bytes.count) == bytes.count else { throw HarnessError("short write") }
    }

    /// Reads a file whose name is given as bytes.
    static func read(name: [UInt8], in folder: URL) -> String? {
        let path = Array(folder.path.utf8) + [0x2F] + name + [0]
        let fd = path.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_RDONLY) }
        }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            out += buffer[..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes a (`file`, `file_escaped`) pair names.
    static func bytes(file: String, escaped: Bool) -> [UInt8] {
        guard escaped else { return Array(file.utf8) }
        var out: [UInt8] = []
        var i = file.utf8.startIndex
        let u = file.utf8
        while i < u.endIndex {
            if u[i] == 0x25,
                let hex = UInt8(
                    String(decoding: u[u.index(after: i)..<u.index(i, offsetBy: 3)], as: UTF8.self), radix: 16)
            {
                out.append(hex)
                i = u.index(i, offsetBy: 3)
            } else {
                out.append(u[i])
                i = u.index(after: i)
            }
        }
        return out
    }

    @Test func namesThatLookAlikeStayApartAndLeadBackToTheirFiles() throws {
        let ws = try Harness.Workspace(copying: nil)
        defer { ws.remove() }
        let names: [[UInt8]] = [
            Array("bad\nname.txt".utf8), Array("bad%0Aname.txt".utf8),
            Array("caf".utf8) + [0xE9] + Array(".txt".utf8),  // Latin-1 é: not UTF-8
            Array("caf%E9.txt".utf8), Array("100%.txt".utf8),
        ]
        for (i, name) in names.enumerated() {
            try Self.write(Harness.article(40 + i), name: name, in: ws.drop)
        }
        let config = try Harness.utcConfig(in: ws.root, extra: "[input]\nsettle_ms = 0\n")
        #expect(try ws.once(config: config).status == 0)
        let digest = try ws.digestJSON().object
        let articles = digest.stories.flatMap(\.articles)
        let pairs = articles.map { ($0["file"] as? String ?? "", $0["file_escaped"] as? Bool ?? false) }
        #expect(pairs.count == 5)
        #expect(Set(pairs.map { "\($0.0)|\($0.1)" }).count == 5, "each input its own (file, file_escaped): \(pairs)")
        #expect(pairs.contains { $0 == ("caf%E9.txt", true) } && pairs.contains { $0 == ("caf%E9.txt", false) })
        #expect(pairs.contains { $0 == ("bad\nname.txt", false) } && pairs.contains { $0 == ("bad%0Aname.txt", false) })
        #expect(pairs.contains { $0 == ("100%.txt", false) })
        // Each pair leads back to the file it was, with that file's text, in the archive.
        let day = try ws.digestFiles("json")[0].deletingPathExtension().lastPathComponent
        let archive = ws.state.appendingPathComponent("archive/\(day)")
        for (file, escaped) in pairs {
            let name = Self.bytes(file: file, escaped: escaped)
            let i = try #require(names.firstIndex(of: name), "\(file) (\(escaped)) names no input")
            #expect(Self.read(name: name, in: archive) == Harness.article(40 + i), "\(file): not its file")
        }
    }
}
