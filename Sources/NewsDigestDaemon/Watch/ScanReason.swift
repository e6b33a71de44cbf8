/// Why the drop folder, or a folder in it, is listed.
public enum ScanReason: String, CustomStringConvertible, Sendable {
    /// At start-up: everything already there.
    case start
    /// The kernel's event queue overflowed: events were lost.
    case overflow
    /// A folder appeared (made, or moved in).
    case newFolder = "new folder"
    /// A watched folder was renamed inside the drop folder.
    case folderRenamed = "folder renamed"
    /// A folder that could not be listed can be now.
    case readableAgain = "readable again"
    /// The ingest queue was full and refused events.
    case queueWasFull = "queue had been full"
    /// The store refused writes for a while, and the queue was paused meanwhile.
    case storeWritableAgain = "store writable again"

    public var description: String { rawValue }
}
