/// A map from `StableHash` keys to values, in flat arrays, entries numbered in the order they
/// were first added.
///
/// Swift's `Dictionary` hashes every `UInt64` key again with SipHash; these keys come out of a
/// 64-bit mixer already, so their low bits pick a slot as they are. Term counting and interning
/// did that hashing once per word of every article, on the serial commit path too. Entries
/// stay in insertion order, so walking them is the same on every run.
public struct KeyTable<Value>: Sendable where Value: Sendable {
    /// The keys in the order they were added; `values` alongside.
    public private(set) var keys: [UInt64] = []
    public var values: [Value] = []
    /// Open addressing with linear probing: an entry's number plus one, 0 where free.
    private var slots: [Int32]
    private var mask: Int

    public init(capacity: Int = 8) {
        var size = 16
        while size * 7 < capacity * 10 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    public var count: Int { keys.count }

    /// The entry number of `key`, if it has been added.
    public func index(of key: UInt64) -> Int? {
        find(key).entry
    }

    /// The entry number of `key`, adding it with `value` when it is new.
    @discardableResult
    public mutating func index(of key: UInt64, adding value: @autoclosure () -> Value) -> (index: Int, added: Bool) {
        let (slot, entry) = find(key)
        if let entry { return (entry, false) }
        keys.append(key)
        values.append(value())
        slots[slot] = Int32(keys.count)
        if keys.count * 10 > slots.count * 7 { grow() }
        return (keys.count - 1, true)
    }

    public subscript(key: UInt64) -> Value? {
        find(key).entry.map { values[$0] }
    }

    /// Where `key` is, or the free slot where it would go.
    private func find(_ key: UInt64) -> (slot: Int, entry: Int?) {
        slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                var slot = Int(truncatingIfNeeded: key) & mask
                while true {
                    let s = Int(slots[slot])
                    if s == 0 { return (slot, nil) }
                    if keys[s - 1] == key { return (slot, s - 1) }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        mask = size - 1
        slots = [Int32](repeating: 0, count: size)
        slots.withUnsafeMutableBufferPointer { slots in
            for (i, key) in keys.enumerated() {
                var slot = Int(truncatingIfNeeded: key) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(i + 1)
            }
        }
    }
}

extension KeyTable where Value: AdditiveArithmetic {
    /// Adds `amount` to `key`'s value, the key added at zero first when it is new.
    public mutating func add(_ amount: Value, to key: UInt64) {
        values[index(of: key, adding: .zero).index] += amount
    }
}
