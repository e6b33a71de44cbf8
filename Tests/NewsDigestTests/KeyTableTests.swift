import NewsDigest
import Testing

@Suite struct KeyTableTests {
    @Test func agreesWithADictionaryAndKeepsInsertionOrder() {
        var table = KeyTable<Int>(capacity: 4)
        var reference: [UInt64: Int] = [:]
        var order: [UInt64] = []
        var x: UInt64 = 1
        // Far more keys than the first capacity, so the table grows several times; every
        // fourth key repeats an earlier one. Keys that share their low bits probe past each other.
        for i in 0..<5000 {
            x = StableHash.mix(x)
            let key = i % 4 == 3 ? order[i / 2] : (i % 7 == 0 ? (x << 20) : x)
            let (index, added) = table.index(of: key, adding: i)
            if let known = reference[key] {
                #expect(!added)
                #expect(table.values[index] == known)
            } else {
                #expect(added)
                #expect(index == order.count)
                reference[key] = i
                order.append(key)
            }
        }
        #expect(table.count == reference.count)
        #expect(table.keys == order)
        for (key, value) in reference { #expect(table[key] == value) }
        #expect(table[0xdead_beef] == nil)
        #expect(table.index(of: 0xdead_beef) == nil)
    }

    @Test func zeroIsAKeyLikeAnyOther() {
        var table = KeyTable<String>()
        #expect(table[0] == nil)
        table.index(of: 0, adding: "zero")
        #expect(table[0] == "zero")
        #expect(table.count == 1)
    }
}
