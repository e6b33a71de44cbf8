import Glibc

/// The daemon's one syslog line per digest write (facility daemon, ident `newsdigest`, with the
/// PID). Everything else goes to standard error, which systemd's journal already collects.
public final class Syslog: Sendable {
    /// `openlog` keeps the pointer it is given, so the ident lives as long as the process.
    /// Set once, before any line is logged, and never freed.
    nonisolated(unsafe) private static var ident: UnsafeMutablePointer<CChar>?

    public init() {
        if Self.ident == nil { Self.ident = strdup("newsdigest") }
        openlog(Self.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON)
    }

    public func notice(_ message: String) {
        // syslog() is variadic and not imported; "%s" keeps a '%' in a message from being read
        // as a format.
        message.withCString { text in
            withVaList([text]) { vsyslog(LOG_NOTICE, "%s", $0) }
        }
    }
}
