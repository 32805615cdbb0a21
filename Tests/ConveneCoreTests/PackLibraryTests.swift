import ConveneCore
import ConveneTestSupport
import Foundation
import Testing

/// Packs are data: loaded and validated at start-up, with errors naming file, key and problem.
@Suite("Procedure packs")
struct PackLibraryTests {
    @Test("The five shipped packs load, one per seed")
    func shippedPacks() {
        let packs = Packs.library.packs
        #expect(Set(packs.map(\.id)) == ["front-door", "bradford", "hertfordshire", "devon-mash", "north-yorkshire"])
        #expect(Set(packs.map(\.seed)) == ["000", "001", "002", "003", "004"])
    }

    @Test("Every rule in every shipped pack cites a catalogued requirement and points at its source")
    func traceability() {
        for pack in Packs.library.packs {
            var cited: [(RequirementID, String)] = pack.timescales.map { ($0.rule, $0.source) }
            cited.append((pack.slots.rule, pack.slots.source))
            cited += (pack.attendance.required + pack.attendance.recommended).map { ($0.rule, $0.source) }
            cited += pack.checklist.map { ($0.rule, $0.source) } + pack.agenda.map { ($0.rule, $0.source) }
            for (rule, source) in cited {
                #expect(RequirementCatalogue.title(rule) != nil, "\(pack.id): \(rule) is not in the catalogue")
                #expect(!source.isEmpty, "\(pack.id): \(rule) has no source")
                #expect(!source.contains("\""), "\(pack.id): sources point at sections; they do not quote")
            }
        }
    }

    @Test("Each pack's timescale, slot and attendance rules cite its own seed or ALL")
    func rulesFromOwnSeed() {
        for pack in Packs.library.packs {
            for rule in pack.timescales.map(\.rule) + [pack.slots.rule] {
                #expect(rule.source == pack.seed || rule.source == "ALL", "\(pack.id) cites \(rule)")
            }
        }
    }

    @Test("Every pack has a checklist with items required before the record is final, and offers s47 outcomes")
    func recordRules() {
        for pack in Packs.library.packs {
            #expect(pack.checklist.contains { $0.requiredForFinal }, "\(pack.id)")
            #expect(pack.outcomes.contains { $0.outcome.startsS47 }, "\(pack.id)")
            #expect(!pack.agenda.isEmpty, "\(pack.id)")
        }
    }

    // MARK: Bad pack files

    static let bradfordText = try! String(contentsOf: PackLibrary.builtInFile("bradford"), encoding: .utf8)

    func error(_ mutate: (String) -> String) -> PackError? {
        let text = mutate(Self.bradfordText)
        #expect(text != Self.bradfordText, "the mutation must change the pack")
        do {
            _ = try PackLibrary.parse(yaml: text, file: "bad.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test("A misspelt key is named with its path")
    func unknownKey() throws {
        let e = try #require(error { $0.replacingOccurrences(of: "within: {hours: 2}", with: "within: {hourz: 2}") })
        #expect(e.file == "bad.yaml")
        #expect(e.field.description == "timescales[0].within.hourz")
        #expect(e.message.contains("unknown key"))
    }

    @Test("A malformed requirement ID is refused")
    func badRequirementID() throws {
        let e = try #require(error { $0.replacingOccurrences(of: "lengthRule: TIME-001-02", with: "lengthRule: TIME-1-2") })
        #expect(e.field.description == "slots.lengthRule")
        #expect(e.message.contains("requirement ID"))
    }

    @Test("An unknown agency is refused with the list of known ones")
    func unknownAgency() throws {
        let e = try #require(error { $0.replacingOccurrences(of: "agency: sarc\n", with: "agency: sarcc\n") })
        #expect(e.field.description.hasPrefix("attendance.required["))
        #expect(e.message.contains("unknown agency \"sarcc\""))
    }

    @Test("A missing key is named")
    func missingKey() throws {
        let e = try #require(error { $0.replacingOccurrences(of: "authority: Bradford Children and Families Trust\n", with: "") })
        #expect(e.field.description == "authority")
        #expect(e.message == "is required")
    }

    @Test("A duty counted from an event it cannot follow is refused")
    func wrongBasis() throws {
        let e = try #require(error {
            $0.replacingOccurrences(of: "duty: minutes-circulation\n    from: [discussion-held]",
                                    with: "duty: minutes-circulation\n    from: [request-made]")
        })
        #expect(e.field.description == "timescales[3].from")
        #expect(e.message.contains("cannot count from request-made"))
    }

    @Test("An unknown duty and a bad time are refused")
    func badValues() throws {
        let duty = try #require(error { $0.replacingOccurrences(of: "duty: icpc", with: "duty: conference") })
        #expect(duty.message.contains("unknown value \"conference\""))
        let time = try #require(error { $0.replacingOccurrences(of: "start: \"13:00\"", with: "start: \"1pm\"") })
        #expect(time.field.description == "slots.sessions[3].start")
    }

    @Test("Broken YAML is reported as such")
    func brokenYAML() throws {
        let e = try #require(error { $0 + "\n  - : : [" })
        #expect(e.description.hasPrefix("bad.yaml: "))
    }

    // MARK: A new authority

    @Test("A new authority is added by writing a pack: a Scottish pack counts 2 January as a holiday")
    func newAuthority() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convene-packs-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try String(contentsOf: PackLibrary.builtInFile("front-door"), encoding: .utf8)
            .replacingOccurrences(of: "id: front-door", with: "id: newtown")
            .replacingOccurrences(of: "calendar: england-and-wales", with: "calendar: scotland")
        try text.write(to: directory.appendingPathComponent("newtown.yaml"), atomically: true, encoding: .utf8)

        let library = try PackLibrary.load(extraDirectory: directory)
        let pack = try #require(library.pack("newtown"))
        #expect(library.packs.count == 6)
        let due = pack.duties([Event.concern("2025-12-31T12:00:00Z")], facts: CaseFacts(type: .openCase), asOf: "2025-12-31T13:00:00Z")
            .duty(.strategyDiscussion)?.due
        #expect(due == at("2026-01-05T23:59:59Z"))
    }

    @Test("Two packs with one id are refused")
    func duplicateID() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convene-packs-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.bradfordText.write(to: directory.appendingPathComponent("copy.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: PackError.self) { try PackLibrary.load(extraDirectory: directory) }
    }
}

/// Issue 16: new pack fields decode and are validated with errors naming the field.
extension PackLibraryTests {
    @Test("SLOT-ALL-01: a pack declares what a slot is booked against and how many run at once; bad values are named")
    func bookedAgainstAndCapacity() throws {
        #expect(Packs.hertfordshire.slots.bookedAgainst == .calendar && Packs.hertfordshire.slots.capacity == 1)
        #expect(Packs.bradford.slots.bookedAgainst == .calendar)
        #expect([Packs.frontDoor, Packs.devonMash, Packs.northYorkshire].allSatisfy { $0.slots.bookedAgainst == .chair })
        let against = try #require(error { $0.replacingOccurrences(of: "bookedAgainst: calendar", with: "bookedAgainst: room") })
        #expect(against.field.description == "slots.bookedAgainst")
        #expect(against.message.contains("calendar, chair"))
        let capacity = try #require(error { $0.replacingOccurrences(of: "  capacity: 1\n", with: "  capacity: 0\n") })
        #expect(capacity.field.description == "slots.capacity")
    }

    @Test("SLOT-ALL-01: a calendar that runs two at once offers a taken session once more, then moves on")
    func capacityTwo() throws {
        let text = Self.bradfordText.replacingOccurrences(of: "id: bradford", with: "id: twoline")
            .replacingOccurrences(of: "  capacity: 1\n", with: "  capacity: 2\n")
        let pack = try PackLibrary.parse(yaml: text, file: "twoline.yaml")
        #expect(try pack.slot(requestedAt: "2026-11-23T08:00:00Z", booked: ["2026-11-23T09:00:00Z"]).start == at("2026-11-23T09:00:00Z"))
        #expect(try pack.slot(requestedAt: "2026-11-23T08:00:00Z", booked: ["2026-11-23T09:00:00Z", "2026-11-23T09:00:00Z"]).start
            == at("2026-11-23T10:00:00Z"))
    }

    @Test("ATT-ALL-01: distinct, hospitalServices, complex and an alert's incidentWithinDays decode; a bad alert record is named")
    func attendanceFields() throws {
        #expect(Packs.devonMash.attendance.required.contains { $0.distinct })
        #expect(Packs.frontDoor.attendance.alerts.first?.incidentWithinDays == 10)
        let text = try String(contentsOf: PackLibrary.builtInFile("front-door"), encoding: .utf8)
            .replacingOccurrences(of: "record: sarc-contact", with: "record: phone-call")
        let result = Result { try PackLibrary.parse(yaml: text, file: "bad.yaml") }
        guard case let .failure(failure) = result, let error = failure as? PackError else {
            Issue.record("an unknown alert record was accepted")
            return
        }
        #expect(error.field.description == "attendance.alerts[0].record")
    }
}
