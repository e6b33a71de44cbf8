/// newsdigest's version, written in this one place: `--version` prints it, the metrics carry it,
/// and `make deb` reads it from this file for the package's version.
public enum NewsDigestVersion {
    public static let string = "1.0.0"
}
