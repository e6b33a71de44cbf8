/// Exit statuses, as sysexits(3) names them: systemd's RestartPreventExitStatus= and scripts
/// read them, so every command uses these and no bare number.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    /// EX_DATAERR: the state database is damaged or newer; an input is not what it claims.
    case dataError = 65
    /// EX_NOINPUT: the drop folder is gone or unusable; a file to read is missing.
    case noInput = 66
    /// EX_SOFTWARE: the watcher failed.
    case software = 70
    /// EX_CANTCREAT: `drop` cannot write into the drop folder.
    case cannotCreate = 73
    /// EX_IOERR: the store or a folder failed.
    case ioError = 74
    /// EX_CONFIG: the configuration is wrong (the unit does not restart on it).
    case config = 78
}
