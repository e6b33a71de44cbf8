/// English function words: they carry no topic, so similarity and centrality ignore them.
/// (Shingles for near duplicates keep them: word order and function words are what make two
/// copies of one text recognisable.)
public enum StopWords {
    /// The words by their `StableHash.bytes`, each kept to compare with on a hit: every word of
    /// every article is looked up here, and the caller has usually hashed it already.
    static let english: KeyTable<[UInt8]> = {
        var table = KeyTable<[UInt8]>(capacity: 512)
        for word in list.split(separator: " ") {
            let bytes = Array(word.utf8)
            table.index(of: StableHash.bytes(bytes), adding: bytes)
        }
        return table
    }()

    public static func contains(_ lower: [UInt8]) -> Bool { contains(lower, hash: StableHash.bytes(lower)) }

    /// `contains` for a word whose `StableHash.bytes` the caller has.
    public static func contains(_ lower: [UInt8], hash: UInt64) -> Bool {
        english[hash].map { $0 == lower } ?? false
    }

    private static let list = """
        a about above after again against all almost also although am among an and another any are \
        around as at be became because been before being below between both but by can cannot could \
        did do does doing done down during each either else even ever every few for from further get \
        gets got had has have having he her here hers herself him himself his how however i if in \
        into is it its itself just least less like made make many may me might more most much must \
        my myself neither no nor not now of off often on once one only or other others our ours \
        ourselves out over own per perhaps quite rather really said same say says she should since so \
        some still such than that the their theirs them themselves then there these they this those \
        though through thus to too under until up upon us very via was we well were what whatever \
        when where whether which while who whoever whom whose why will with within without would yet \
        you your yours yourself yourselves mr mrs ms s t don dont didnt doesnt isnt wasnt arent \
        werent wont cant couldnt shouldnt wouldnt im ive id youre theyre weve hes shes thats theres \
        also according told tell new year years time week day today yesterday tomorrow monday tuesday \
        wednesday thursday friday saturday sunday
        """
}
