import Foundation
import Glibc

/// The process's signal plumbing. SIGTERM, SIGINT and SIGHUP are blocked in every thread and
/// taken by one thread with `sigwait`, so they arrive as ordinary calls, never mid-operation.
/// SIGUSR1 only interrupts the watcher's wait: its handler does nothing and is installed without
/// `SA_RESTART`, so the blocked `select` returns at once with EINTR.
public enum Signals {
    public static let controlled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Call first thing, before any thread exists, so every thread inherits the mask.
    public static func blockControlSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for s in controlled { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        action.sa_flags = 0
        sigemptyset(&action.sa_mask)
        sigaction(SIGUSR1, &action, nil)
    }

    /// Waits for the control signals on a thread of its own and hands each to `handler`.
    public static func startWaiting(_ handler: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread {
            var set = sigset_t()
            sigemptyset(&set)
            for s in controlled { sigaddset(&set, s) }
            while true {
                var received: Int32 = 0
                if sigwait(&set, &received) == 0 { handler(received) }
            }
        }
        thread.name = "newsdigest-signals"
        thread.start()
    }
}
