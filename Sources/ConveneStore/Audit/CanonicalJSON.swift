import Foundation

/// The canonical JSON of a value, for digests and seals that must still match after an
/// upgrade: keys sorted, and members holding nothing (null, false, 0, "", [], {}) left out.
/// A field added to a record type in a later release (with an empty default) therefore leaves
/// the digests of everything written before it unchanged, while any change to what a member
/// holds (filling it, clearing it, altering it) changes the digest.
///
/// Written by hand as an `Encoder` that builds the tree directly (issue 12): going through
/// `JSONEncoder`, then `JSONSerialization` to read the text back, cost most of a discussion's
/// seal check on every read and most of `convene seed`'s time. The text is exactly what that
/// round trip gave (`CanonicalJSONTests` compares the two on every record type): numbers as
/// the `Double` JSON would carry, booleans as 1, `Date` as its reference-date seconds or as
/// ISO 8601, `Data` as base64 and `URL` as its absolute string, as `JSONEncoder` writes them.
public enum CanonicalJSON {
    /// How dates are written: `JSONEncoder`'s `.deferredToDate` (seconds since 2001) or
    /// `.iso8601` (whole seconds, UTC).
    public enum Dates: Sendable {
        case referenceSeconds
        case iso8601
    }

    public static func string(_ value: some Encodable, dates: Dates = .referenceSeconds) -> String {
        let root = Node()
        do {
            try CanonicalEncoder(node: root, dates: dates, codingPath: []).box(value, into: root)
        } catch {
            return ""
        }
        var out = ""
        out.reserveCapacity(1024)
        if root.isEmpty {
            out += "null"
        } else {
            write(root, to: &out)
        }
        return out
    }

    /// A leaf value as JSON would carry it.
    enum Leaf {
        case string(String)
        case number(Double)
        case null
    }

    /// One value of the tree being built: an object, a list or a leaf (none set: an empty
    /// object, as `JSONEncoder` writes a value that encoded nothing).
    final class Node {
        var object: [String: Node]?
        var list: [Node]?
        var leaf: Leaf?

        /// Whether the value holds nothing, so that pruning leaves it out.
        var isEmpty: Bool {
            if let object { return !object.values.contains { !$0.isEmpty } }
            if let list { return list.isEmpty }
            switch leaf {
            case let .string(text): return text.isEmpty
            case let .number(number): return number == 0
            case .null, nil: return true
            }
        }
    }

    /// Writes the pruned tree with sorted keys and one spelling per value.
    static func write(_ node: Node, to out: inout String) {
        if let object = node.object {
            out += "{"
            var first = true
            for key in object.keys.sorted() {
                let member = object[key]!
                if member.isEmpty { continue }
                if !first { out += "," }
                first = false
                writeString(key, to: &out)
                out += ":"
                write(member, to: &out)
            }
            out += "}"
        } else if let list = node.list {
            // Positions matter in a list: its members are kept (an empty one as null).
            out += "["
            for (i, member) in list.enumerated() {
                if i > 0 { out += "," }
                if member.isEmpty { out += "null" } else { write(member, to: &out) }
            }
            out += "]"
        } else {
            switch node.leaf {
            case let .string(text):
                writeString(text, to: &out)
            case let .number(double):
                // Booleans left after pruning are true, written as 1: one spelling, whatever
                // the platform's Foundation makes of a JSON boolean.
                out += double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : "\(double)"
            case .null, nil:
                out += "null"
            }
        }
    }

    static func writeString(_ text: String, to out: inout String) {
        out += "\""
        // Most text needs no escape: copied whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Thrown for what JSON cannot carry (a non-finite number): the canonical text is then "".
private struct NotJSON: Error {}

private struct CanonicalEncoder: Encoder {
    typealias Node = CanonicalJSON.Node
    let node: Node
    let dates: CanonicalJSON.Dates
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.object == nil { node.object = [:] }
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.list == nil { node.list = [] }
        return UnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(encoder: self)
    }

    func child(_ node: Node, _ key: (any CodingKey)?) -> CanonicalEncoder {
        CanonicalEncoder(node: node, dates: dates, codingPath: key.map { codingPath + [$0] } ?? codingPath)
    }

    /// Puts a value into a node, treating the types `JSONEncoder` treats specially as it does.
    func box<T: Encodable>(_ value: T, into node: Node) throws {
        switch value {
        case let text as String: node.leaf = .string(text)
        case let flag as Bool: node.leaf = .number(flag ? 1 : 0)
        case let number as Double: node.leaf = try Self.finite(number)
        case let number as Int: node.leaf = .number(Double(number))
        case let date as Date:
            switch dates {
            case .referenceSeconds: node.leaf = try Self.finite(date.timeIntervalSinceReferenceDate)
            case .iso8601: node.leaf = .string(date.formatted(.iso8601))
            }
        case let data as Data: node.leaf = .string(data.base64EncodedString())
        case let url as URL: node.leaf = .string(url.absoluteString)
        case let decimal as Decimal: node.leaf = .number(Double(decimal.description) ?? 0)
        case let number as Float: node.leaf = try Self.float(number)
        default:
            try value.encode(to: child(node, nil))
        }
    }

    static func finite(_ number: Double) throws -> CanonicalJSON.Leaf {
        guard number.isFinite else { throw NotJSON() }
        return .number(number)
    }

    /// JSONEncoder writes a Float's shortest spelling, which reads back as this Double.
    static func float(_ number: Float) throws -> CanonicalJSON.Leaf {
        guard number.isFinite else { throw NotJSON() }
        return .number(Double(number.description) ?? 0)
    }

    static func integer(_ number: some BinaryInteger) -> CanonicalJSON.Leaf {
        .number(Double(number))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: CanonicalEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ leaf: CanonicalJSON.Leaf, _ key: Key) {
        let node = CanonicalJSON.Node()
        node.leaf = leaf
        encoder.node.object![key.stringValue] = node
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.number(value ? 1 : 0), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try CanonicalEncoder.finite(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(CanonicalEncoder.integer(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(CanonicalEncoder.integer(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(CanonicalEncoder.integer(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(CanonicalEncoder.integer(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(CanonicalEncoder.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(CanonicalEncoder.integer(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(CanonicalEncoder.integer(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(CanonicalEncoder.integer(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(CanonicalEncoder.integer(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(CanonicalEncoder.integer(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try CanonicalEncoder.float(value), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let node = CanonicalJSON.Node()
        try encoder.child(node, key).box(value, into: node)
        encoder.node.object![key.stringValue] = node
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let node = CanonicalJSON.Node()
        encoder.node.object![key.stringValue] = node
        return encoder.child(node, key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let node = CanonicalJSON.Node()
        encoder.node.object![key.stringValue] = node
        return encoder.child(node, key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: Key(stringValue: "super")!)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let node = CanonicalJSON.Node()
        encoder.node.object![key.stringValue] = node
        return encoder.child(node, key)
    }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: CanonicalEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.node.list!.count }

    private func append(_ leaf: CanonicalJSON.Leaf) {
        let node = CanonicalJSON.Node()
        node.leaf = leaf
        encoder.node.list!.append(node)
    }

    private func appendNode() -> CanonicalJSON.Node {
        let node = CanonicalJSON.Node()
        encoder.node.list!.append(node)
        return node
    }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.number(value ? 1 : 0)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try CanonicalEncoder.finite(value)) }
    mutating func encode(_ value: Int) throws { append(CanonicalEncoder.integer(value)) }
    mutating func encode(_ value: Int8) throws { append(CanonicalEncoder.integer(value)) }
    mutating func encode(_ value: Int16) throws { append(CanonicalEncoder.integer(value)) }
    mutating func encode(_ value: Int32) throws { append(CanonicalEncoder.integer(value)) }
    mutating func encode(_ value: Int64) throws { append(CanonicalEncoder.integer(value)) }
    mutating func encode(_ value: UInt) throws { append(CanonicalEncoder.integer(value)) }
    mutating func encode(_ value: UInt8) throws { append(CanonicalEncoder.integer(value)) }
    mutating func encode(_ value: UInt16) throws { append(CanonicalEncoder.integer(value)) }
    mutating func encode(_ value: UInt32) throws { append(CanonicalEncoder.integer(value)) }
    mutating func encode(_ value: UInt64) throws { append(CanonicalEncoder.integer(value)) }
    mutating func encode(_ value: Float) throws { append(try CanonicalEncoder.float(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = IndexKey(count)
        let node = appendNode()
        try encoder.child(node, key).box(value, into: node)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = IndexKey(count)
        return encoder.child(appendNode(), key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = IndexKey(count)
        return encoder.child(appendNode(), key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let key = IndexKey(count)
        return encoder.child(appendNode(), key)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let encoder: CanonicalEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.node.leaf = .null }
    mutating func encode(_ value: Bool) throws { encoder.node.leaf = .number(value ? 1 : 0) }
    mutating func encode(_ value: String) throws { encoder.node.leaf = .string(value) }
    mutating func encode(_ value: Double) throws { encoder.node.leaf = try CanonicalEncoder.finite(value) }
    mutating func encode(_ value: Int) throws { encoder.node.leaf = CanonicalEncoder.integer(value) }
    mutating func encode(_ value: Int8) throws { encoder.node.leaf = CanonicalEncoder.integer(value) }
    mutating func encode(_ value: Int16) throws { encoder.node.leaf = CanonicalEncoder.integer(value) }
    mutating func encode(_ value: Int32) throws { encoder.node.leaf = CanonicalEncoder.integer(value) }
    mutating func encode(_ value: Int64) throws { encoder.node.leaf = CanonicalEncoder.integer(value) }
    mutating func encode(_ value: UInt) throws { encoder.node.leaf = CanonicalEncoder.integer(value) }
    mutating func encode(_ value: UInt8) throws { encoder.node.leaf = CanonicalEncoder.integer(value) }
    mutating func encode(_ value: UInt16) throws { encoder.node.leaf = CanonicalEncoder.integer(value) }
    mutating func encode(_ value: UInt32) throws { encoder.node.leaf = CanonicalEncoder.integer(value) }
    mutating func encode(_ value: UInt64) throws { encoder.node.leaf = CanonicalEncoder.integer(value) }
    mutating func encode(_ value: Float) throws { encoder.node.leaf = try CanonicalEncoder.float(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.box(value, into: encoder.node)
    }
}
