import Glibc

/// glibc's malloc gives each thread that contends for it an arena of its own, up to eight per
/// core, and memory freed in one arena serves only that arena: the worker pool's short-lived
/// articles spread over several arenas and the process keeps the high-water mark of each.
/// `once`, whose two workers and committer run flat out, keeps two arenas: fewer waits on one
/// lock, a few MiB less at peak than the default. The daemon keeps one: its peak comes while
/// the workers, the commits and a digest write all allocate at once, and with one arena a
/// 10k-file flood peaked at 63–64 MiB instead of 66–70 (static build, same flood rate). An
/// operator's own MALLOC_ARENA_MAX wins.
public enum MallocArenas {
    /// For `once`.
    public static let batch: Int32 = 2
    /// For the daemon.
    public static let daemon: Int32 = 1

    public static func limit(_ arenas: Int32, environment: [String: String]) {
        guard environment["MALLOC_ARENA_MAX"] == nil else { return }
        // mallopt is in <malloc.h>, which the Glibc module leaves out: found by name instead.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, arenas)
    }

    /// M_ARENA_MAX in <malloc.h>.
    static let arenaMax: Int32 = -8
}
