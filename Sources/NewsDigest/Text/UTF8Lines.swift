/// Line and word splitting on UTF-8 bytes.
///
/// `String.split(separator:)` walks `Character`s, that is grapheme clusters, and was an eighth of
/// the per-file time on Linux. Normalized text has no `\r` (the only scalar that joins `\n` into
/// one grapheme), so splitting at the byte gives the same pieces.
extension String {
    /// The text's lines, cut at each `\n`.
    func lines(omittingEmpty: Bool) -> [Substring] {
        var result: [Substring] = []
        let view = utf8
        var start = view.startIndex
        var i = start
        while i != view.endIndex {
            if view[i] == 0x0A {
                if !omittingEmpty || start != i { result.append(self[start..<i]) }
                start = view.index(after: i)
            }
            view.formIndex(after: &i)
        }
        if !omittingEmpty || start != view.endIndex { result.append(self[start..<view.endIndex]) }
        return result
    }

    /// How many runs of bytes other than a space the text holds.
    var spaceSeparatedCount: Int {
        var count = 0
        var inWord = false
        for b in utf8 {
            if b == 0x20 {
                inWord = false
            } else if !inWord {
                inWord = true
                count += 1
            }
        }
        return count
    }

    /// The text without leading and trailing spaces and line ends (normalized text has no other
    /// white space).
    func trimmingSpacesAndLineEnds() -> String {
        let view = utf8
        var start = view.startIndex
        var end = view.endIndex
        while start != end, view[start] == 0x20 || view[start] == 0x0A { view.formIndex(after: &start) }
        while start != end {
            let before = view.index(before: end)
            guard view[before] == 0x20 || view[before] == 0x0A else { break }
            end = before
        }
        return String(self[start..<end])
    }
}
