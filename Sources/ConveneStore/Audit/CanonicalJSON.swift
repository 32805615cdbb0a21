import Foundation

/// The canonical JSON of a value, for digests and seals that must still match after an
/// upgrade: keys sorted, and members holding nothing (null, false, 0, "", [], {}) left out.
/// A field added to a record type in a later release (with an empty default) therefore leaves
/// the digests of everything written before it unchanged, while any change to what a member
/// holds (filling it, clearing it, altering it) changes the digest.
public enum CanonicalJSON {
    public static func string(_ value: some Encodable, dates: JSONEncoder.DateEncodingStrategy = .deferredToDate) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = dates
        guard let data = try? encoder.encode(value),
              let tree = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return "" }
        var out = ""
        write(pruned(tree) ?? NSNull(), to: &out)
        return out
    }

    /// The value without empty members; nil when it is itself empty.
    static func pruned(_ value: Any) -> Any? {
        switch value {
        case let object as [String: Any]:
            var kept: [String: Any] = [:]
            for (key, member) in object {
                if let member = pruned(member) { kept[key] = member }
            }
            return kept.isEmpty ? nil : kept
        case let list as [Any]:
            // Positions matter in a list: its members are kept, only an empty list goes.
            return list.isEmpty ? nil : list.map { pruned($0) ?? NSNull() }
        case let text as String:
            return text.isEmpty ? nil : text
        case let number as NSNumber:
            // Bools arrive as NSNumber too: false and 0 are both "nothing".
            return number.doubleValue == 0 ? nil : number
        case is NSNull:
            return nil
        default:
            return value
        }
    }

    /// Writes the tree with sorted keys and one spelling per value (hand-written so that the
    /// output does not depend on the platform's JSONSerialization formatting).
    static func write(_ value: Any, to out: inout String) {
        switch value {
        case let object as [String: Any]:
            out += "{"
            for (i, key) in object.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                writeString(key, to: &out)
                out += ":"
                write(object[key]!, to: &out)
            }
            out += "}"
        case let list as [Any]:
            out += "["
            for (i, member) in list.enumerated() {
                if i > 0 { out += "," }
                write(member, to: &out)
            }
            out += "]"
        case let text as String:
            writeString(text, to: &out)
        case let number as NSNumber:
            // Booleans left after pruning are true, written as 1: one spelling, whatever the
            // platform's Foundation makes of a JSON boolean.
            let double = number.doubleValue
            out += double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : "\(double)"
        default:
            out += "null"
        }
    }

    static func writeString(_ text: String, to out: inout String) {
        out += "\""
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
