import Glibc

/// The threads that read and analyse files run a little less urgently than the one that
/// commits. Commits are the serial path of a flood or a batch; with as many workers as cores,
/// a worker at the same priority took a third of the committer's core, and the whole run
/// waited on it.
enum WorkerPriority {
    /// CFS weights: a thread at nice 5 gets about a third of the CPU of one at 0 when they share
    /// a core, and all of an idle core.
    static let niceness: Int32 = 5

    /// Lowers the calling thread's priority. On Linux a nice value belongs to a thread, and
    /// `who` 0 is the caller. It never goes back down without privileges: call it only on a
    /// thread of its own, never on a pooled (Dispatch) thread that may later commit.
    static func lowerCurrentThread() {
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
    }
}
