import ConveneCore
@testable import ConveneLifecycle
@testable import ConveneStore
import FluentKit
import Foundation
import ConveneTestSupport
import Testing

/// The hand-written canonical JSON encoder (issue 12) must give exactly the text of the
/// `JSONEncoder` and `JSONSerialization` round trip it replaced: every seal and record digest
/// written before depends on it. `Reference` below is that earlier implementation, kept here
/// only as the yardstick.
@Suite("Canonical JSON")
struct CanonicalJSONTests {
    enum Reference {
        static func string(_ value: some Encodable, iso8601: Bool = false) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = iso8601 ? .iso8601 : .deferredToDate
            guard let data = try? encoder.encode(value),
                  let tree = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return "" }
            var out = ""
            write(pruned(tree) ?? NSNull(), to: &out)
            return out
        }

        static func pruned(_ value: Any) -> Any? {
            switch value {
            case let object as [String: Any]:
                var kept: [String: Any] = [:]
                for (key, member) in object {
                    if let member = pruned(member) { kept[key] = member }
                }
                return kept.isEmpty ? nil : kept
            case let list as [Any]:
                return list.isEmpty ? nil : list.map { pruned($0) ?? NSNull() }
            case let text as String:
                return text.isEmpty ? nil : text
            case let number as NSNumber:
                return number.doubleValue == 0 ? nil : number
            case is NSNull:
                return nil
            default:
                return value
            }
        }

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

    struct Odd: Encodable {
        enum Colour: String, Encodable, CodingKeyRepresentable { case red, green }
        var text = "Quote \" backslash \\ slash / tab \t newline \n bell \u{7} é 🙂 \u{1F}"
        var empty = ""
        var zero = 0
        var negative = -42
        var big: Int64 = 9_007_199_254_740_993
        var unsigned: UInt8 = 200
        var fraction = 0.1
        var tiny = 1e-7
        var huge = 1.5e300
        var float: Float = 0.1
        var yes = true
        var no = false
        var missing: String? = nil
        var date = Date(timeIntervalSinceReferenceDate: 123_456_789.123_456)
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_790_000_000.5)]
        var data = Data([0, 1, 2, 250, 255])
        var url = URL(string: "https://convene.example/a?b=c&d=e")!
        var decimal = Decimal(string: "12.50")!
        var list: [String?] = ["a", "", nil, "b"]
        var nested: [[Int]] = [[], [0], [1, 2]]
        var emptyObject: [String: Int] = [:]
        var zeros: [String: Int] = ["a": 0, "b": 0]
        var byNumber: [Int: String] = [3: "three", 10: "ten"]
        var byColour: [Colour: Int] = [.red: 1, .green: 0]
        var pairs: [Pair] = [Pair(first: 1, second: "x"), Pair(first: 0, second: "")]
        var wrapped = Wrapped(inner: "single value")
        var nothing = Nothing()
    }

    struct Pair: Encodable {
        var first: Int
        var second: String
    }

    struct Wrapped: Encodable {
        var inner: String
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(inner)
        }
    }

    struct Nothing: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test("Odd values: escapes, numbers, booleans, dates both ways, data, URLs, dictionaries, empties")
    func oddValues() {
        let odd = Odd()
        #expect(CanonicalJSON.string(odd) == Reference.string(odd))
        #expect(CanonicalJSON.string(odd, dates: .iso8601) == Reference.string(odd, iso8601: true))
        for value in ["", "plain", "\u{0}"] {
            #expect(CanonicalJSON.string(value) == Reference.string(value))
        }
        #expect(CanonicalJSON.string([Int]()) == Reference.string([Int]()))
        #expect(CanonicalJSON.string(Odd?.none) == Reference.string(Odd?.none))
        #expect(CanonicalJSON.string(Double.nan) == "")
        // What it writes, spelled out, so a change to both would still be seen.
        #expect(CanonicalJSON.string(Pair(first: 2, second: "b\"")) == #"{"first":2,"second":"b\""}"#)
        #expect(CanonicalJSON.string([Pair(first: 0, second: "")]) == "[null]")
    }

    @Test("Every kind of record the seeder writes canonicalises as before")
    func seededRecords() async throws {
        try await TestWorld.run { world in
            let db = world.app.db
            let organisation = try #require(try await Organisation.find(world.organisationID, on: db))
            let team = try #require(try await Team.find(world.teamID, on: db))
            let person = { (who: Who) in try #require(try await Person.find(world.people[who], on: db)) }
            let staff = SyntheticData.Staff(socialWorkers: [try await person(.socialWorker)], managers: [try await person(.teamManager)],
                                            serviceManagers: [try await person(.serviceManager)],
                                            minuteTakers: [try await person(.minuteTaker)],
                                            partners: [try await person(.police), try await person(.health)])
            var generator = SyntheticData(seed: 11)
            for (index, pack) in world.app.convene.packs.packs.enumerated() {
                try await generator.discussions(count: 12, organisation: organisation, pack: pack, teams: [team], staff: staff,
                                                now: world.clock.now, referenceStart: 100 * (index + 1),
                                                stages: [.requested, .cancelled, .inMeeting, .authorised, .circulated, .declined], on: db)
            }
            let discussions = try await Discussion.query(on: db).all()
            #expect(discussions.count >= 60)
            for d in discussions {
                #expect(CanonicalJSON.string(d.request) == Reference.string(d.request), "\(d.reference) request")
                #expect(CanonicalJSON.string(d.content) == Reference.string(d.content), "\(d.reference) content")
                if let quoracy = d.quoracy {
                    #expect(CanonicalJSON.string(quoracy) == Reference.string(quoracy), "\(d.reference) quoracy")
                }
                #expect(RecordSeal.isIntact(d, key: try db.keyRing().sealKey), "\(d.reference) seal")
            }
            let versions = try await RecordVersion.query(on: db).all()
            #expect(versions.count >= 20)
            for v in versions {
                #expect(CanonicalJSON.string(v.snapshot, dates: .iso8601) == Reference.string(v.snapshot, iso8601: true))
                #expect(RecordSeal.isIntact(v, key: try db.keyRing().sealKey))
            }
        }
    }
}
