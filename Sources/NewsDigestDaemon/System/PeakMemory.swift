import Foundation

/// The process's peak resident set (VmHWM in /proc/self/status): what a small board must have
/// free for it. `once` reports it, so a memory regression shows in its last line (and a test
/// bounds it).
public enum PeakMemory {
    /// Kibibytes, or nil where /proc says nothing.
    public static func kibibytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}
