import Glibc

/// The sd_notify protocol without libsystemd: one datagram per message to `$NOTIFY_SOCKET`.
/// Without that variable (not under systemd, or not `Type=notify`) every call does nothing.
public final class SystemdNotifier: Sendable {
    private let address: [UInt8]?
    /// Half the watchdog interval systemd asked for, when it asked for one.
    public let watchdogInterval: Double?

    public init(environment: [String: String]) {
        if var path = environment["NOTIFY_SOCKET"].map({ Array($0.utf8) }), !path.isEmpty,
            path.first == 0x2F || path.first == 0x40
        {
            // A leading '@' names a socket in the abstract namespace: its first byte is NUL.
            if path[0] == 0x40 { path[0] = 0 }
            address = path
        } else {
            address = nil
        }
        if let usec = environment["WATCHDOG_USEC"].flatMap(Double.init), usec > 0,
            environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == getpid() }) ?? true
        {
            watchdogInterval = usec / 2e6
        } else {
            watchdogInterval = nil
        }
    }

    public var isActive: Bool { address != nil }

    public func send(_ message: String) {
        guard let address else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var sun = sockaddr_un()
        sun.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: sun.sun_path)
        guard address.count < capacity else { return }
        withUnsafeMutableBytes(of: &sun.sun_path) { raw in
            for (i, b) in address.enumerated() { raw[i] = b }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + address.count + (address[0] == 0 ? 0 : 1))
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &sun) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, length) }
            }
        }
    }
}
