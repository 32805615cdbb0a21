import ConveneCore
import ConveneTestSupport
import Foundation
import Testing

/// The engines' JSON contract: bad input is an error naming the field, never a crash.
@Suite("JSON contract")
struct ContractTests {
    func timescalesError(_ json: String) -> InputError? {
        do {
            _ = try Contract.decode(TimescalesInput.self, from: Data(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test("Not JSON at all")
    func notJSON() throws {
        let e = try #require(timescalesError("{not json"))
        #expect(e.field.description == "")
        #expect(e.message.contains("not valid JSON"))
    }

    @Test("An unknown event type names the event and lists the known ones")
    func unknownEventType() throws {
        let e = try #require(timescalesError(#"{"events":[{"type":"concern-received","at":"2026-12-24T09:00:00Z"},{"type":"meeting","at":"2026-12-24T09:00:00Z"}]}"#))
        #expect(e.field.description == "events[1].type")
        #expect(e.message.contains("unknown value \"meeting\""))
        #expect(e.message.contains("discussion-held"))
    }

    @Test("A missing at is named")
    func missingAt() throws {
        let e = try #require(timescalesError(#"{"events":[{"type":"concern-received","at":"2026-12-24T09:00:00Z"},{"type":"concern-received"},{"type":"icpc-held"}]}"#))
        #expect(e.field.description == "events[1].at")
        #expect(e.message == "is required")
    }

    @Test("A time without a zone, and an impossible date, are named")
    func badTimes() throws {
        let noZone = try #require(timescalesError(#"{"events":[{"type":"concern-received","at":"2026-12-24T09:00:00"}]}"#))
        #expect(noZone.field.description == "events[0].at")
        #expect(noZone.message.contains("no time zone"))
        let impossible = try #require(timescalesError(#"{"asOf":"2026-02-30T09:00:00Z","events":[]}"#))
        #expect(impossible.field.description == "asOf")
    }

    @Test("REQ-001-01: urgency other needs the service manager's rationale and an agreed time")
    func otherNeedsRationale() throws {
        let noRationale = try #require(timescalesError(
            #"{"events":[{"type":"request-made","at":"2026-12-24T09:00:00Z","urgency":"other","agreedDue":"2026-12-29T09:00:00Z"}]}"#))
        #expect(noRationale.field.description == "events[0].rationale")
        let blank = try #require(timescalesError(
            #"{"events":[{"type":"request-made","at":"2026-12-24T09:00:00Z","urgency":"other","agreedDue":"2026-12-29T09:00:00Z","rationale":"  "}]}"#))
        #expect(blank.field.description == "events[0].rationale")
        #expect(blank.message == "must not be empty")
        let noDue = try #require(timescalesError(
            #"{"events":[{"type":"request-made","at":"2026-12-24T09:00:00Z","urgency":"other","rationale":"SM agreed"}]}"#))
        #expect(noDue.field.description == "events[0].agreedDue")
    }

    @Test("Per-discussion events must name a discussion that was held")
    func unknownDiscussion() throws {
        let e = try #require(timescalesError(
            #"{"events":[{"type":"discussion-held","id":"d1","at":"2026-12-24T09:00:00Z"},{"type":"minutes-circulated","discussion":"d2","at":"2026-12-24T12:00:00Z"}]}"#))
        #expect(e.field.description == "events[1].discussion")
    }

    @Test("Wrong types are named")
    func wrongTypes() throws {
        let e = try #require(timescalesError(#"{"case":{"complex":"yes"},"events":[]}"#))
        #expect(e.field.description == "case.complex")
        #expect(e.message == "must be true or false")
        let outcome = try #require(timescalesError(#"{"events":[{"type":"discussion-held","at":"2026-12-24T09:00:00Z","outcome":"icpc"}]}"#))
        #expect(outcome.field.description == "events[0].outcome")
    }

    @Test("A valid input decodes, sorting events by time and numbering unnamed discussions")
    func valid() throws {
        let input = try Contract.decode(TimescalesInput.self, from: Data(#"""
        {"asOf":"2026-12-24T09:00:00Z","case":{"type":"open-case"},
         "events":[{"type":"discussion-held","at":"2026-12-24T12:00:00Z"},
                   {"type":"concern-received","at":"2026-12-24T08:00:00Z"}]}
        """#.utf8))
        #expect(input.timeline.facts.type == .openCase)
        #expect(input.timeline.events.first?.type == .concernReceived)
        #expect(input.timeline.events.last?.discussionID == "d1")
    }

    @Test("Slots and attendance inputs name their bad fields")
    func otherInputs() throws {
        #expect(throws: InputError(field: "booked[1]", "\"soon\" is not a date and time with a zone, e.g. 2026-12-24T09:00:00Z")) {
            try Contract.decode(SlotsInput.self, from: Data(#"{"requestedAt":"2026-12-24T09:00:00Z","booked":["2026-12-24T10:00:00Z","soon"]}"#.utf8))
        }
        let input = try Contract.decode(AttendanceInput.self, from: Data(#"{"concerns":["neglect","sexual-abuze"],"attendees":[]}"#.utf8))
        #expect(throws: InputError.self) { try input.validated(for: Packs.bradford) }
        do {
            _ = try input.validated(for: Packs.bradford)
        } catch {
            #expect(error.field.description == "concerns[1]")
        }
        let agency = try Contract.decode(AttendanceInput.self, from: Data(#"{"attendees":[{"agency":"police"},{"agency":"polise"}]}"#.utf8))
        do {
            _ = try agency.validated(for: Packs.bradford)
            Issue.record("an unknown agency must be refused")
        } catch {
            #expect(error.field.description == "attendees[1].agency")
        }
    }

    @Test("Overrides need a rationale and an approving manager, and replace the due time (INT-ALL-06)")
    func overrides() throws {
        let input = try Contract.decode(TimescalesInput.self, from: Data(#"""
        {"asOf":"2026-11-25T09:00:00Z",
         "events":[{"type":"request-made","at":"2026-11-23T10:00:00Z","urgency":"standard"}],
         "overrides":[{"duty":"strategy-discussion","due":"2026-11-26T10:00:00Z","rationale":"Police unavailable; SM agreed","approvedBy":"A. Manager"}]}
        """#.utf8))
        let duties = TimescaleEngine(pack: Packs.bradford).evaluate(input.timeline, asOf: input.asOf!, overrides: input.overrides)
        let d = try #require(duties.duty(.strategyDiscussion))
        #expect(d.due == at("2026-11-26T10:00:00Z"))
        #expect(d.status == .open)
        #expect(d.override?.approvedBy == "A. Manager")
        #expect(throws: InputError.self) {
            try Contract.decode(TimescalesInput.self, from: Data(#"{"events":[],"overrides":[{"duty":"icpc","due":"2026-11-26T10:00:00Z","approvedBy":"X"}]}"#.utf8))
        }
    }
}

/// Issue 16: default discussion ids follow the order the discussions were held.
extension ContractTests {
    @Test("TIME-000-03: a natural timeline (request, discussion, minutes of d1) is accepted; ids follow the order held")
    func defaultIDsInHeldOrder() throws {
        let json = #"""
        {"events":[{"type":"request-made","at":"2026-12-22T09:00:00Z","urgency":"standard"},
                   {"type":"discussion-held","at":"2026-12-22T14:00:00Z"},
                   {"type":"minutes-circulated","at":"2026-12-23T09:00:00Z","discussion":"d1"},
                   {"type":"discussion-held","at":"2026-12-30T14:00:00Z"},
                   {"type":"minutes-circulated","at":"2026-12-31T09:00:00Z","discussion":"d2"}]}
        """#
        let input = try Contract.decode(TimescalesInput.self, from: Data(json.utf8))
        let ids = input.timeline.events.compactMap { event -> String? in
            if case let .discussionHeld(d) = event { return d.id }
            return nil
        }
        #expect(ids == ["d1", "d2"])
        let duties = TimescaleEngine(pack: Packs.bradford).evaluate(input.timeline, asOf: at("2027-01-04T00:00:00Z"))
        #expect(duties.duty(.minutesCirculation, discussion: "d1")?.status == .met)
    }

    @Test("REQ-001-02: request-declined is an event of the contract")
    func requestDeclinedEvent() throws {
        let json = #"{"events":[{"type":"request-made","at":"2026-12-22T09:00:00Z","urgency":"standard"},{"type":"request-declined","at":"2026-12-22T10:00:00Z"}]}"#
        let input = try Contract.decode(TimescalesInput.self, from: Data(json.utf8))
        #expect(input.timeline.events.last == .requestDeclined(at: at("2026-12-22T10:00:00Z")))
    }
}
