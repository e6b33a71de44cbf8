import Foundation
import Glibc
import NewsDigest

/// `digest.keep_days`: days older than the last `keepDays` lose their digest files and their
/// archive folder. The store keeps their records: counts, exact-duplicate keys (a copy of an
/// old article dropped today is still an exact duplicate) and the threads' earlier stories.
public enum Retention {
    /// The first day kept when `today` is the newest, or nil when everything is kept.
    public static func cutoff(today: String, keepDays: Int) -> String? {
        guard keepDays > 0, let n = DayNumber.parse(today) else { return nil }
        return DayNumber.format(n - (keepDays - 1))
    }

    /// Removes what is older than the cutoff; returns the days removed. A failure to remove one
    /// file is logged by the caller and tried again at the next write.
    @discardableResult
    public static func apply(
        today: String, keepDays: Int, digests: AbsolutePath, archive: AbsolutePath, renderings: StoreRenderings
    ) throws -> [String] {
        guard let cutoff = cutoff(today: today, keepDays: keepDays) else { return [] }
        var removed: Set<String> = []
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: digests.display)) ?? [] {
            guard let day = dayOf(name, suffixes: [".md", ".json", ".html"]), day < cutoff else { continue }
            try fm.removeItem(atPath: digests.appending(name).display)
            removed.insert(day)
        }
        for name in (try? fm.contentsOfDirectory(atPath: archive.display)) ?? [] {
            guard let day = dayOf(name, suffixes: [""]), day < cutoff else { continue }
            try fm.removeItem(atPath: archive.appending(name).display)
            removed.insert(day)
        }
        try renderings.forgetPages(before: cutoff)
        return removed.sorted()
    }

    /// "2026-12-01" of "2026-12-01.json" (with one of `suffixes`), else nil.
    static func dayOf(_ name: String, suffixes: [String]) -> String? {
        for suffix in suffixes where name.hasSuffix(suffix) {
            let day = String(name.dropLast(suffix.count))
            if day.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil { return day }
        }
        return nil
    }
}
