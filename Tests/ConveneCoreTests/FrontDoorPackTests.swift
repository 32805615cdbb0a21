import ConveneCore
import ConveneTestSupport
import Testing

/// Pack `front-door` (seed 000).
@Suite("Front Door pack")
struct FrontDoorPackTests {
    let pack = Packs.frontDoor
    let newReferral = CaseFacts(type: .newReferral)
    let openCase = CaseFacts(type: .openCase)

    // MARK: TIME-000-01

    @Test("TIME-000-01: a Front Door referral on Christmas Eve is due the same day, 23:59:59")
    func sameDayReferral() throws {
        let duties = pack.duties([Event.concern("2026-12-24T15:00:00Z")], facts: newReferral, asOf: "2026-12-24T16:00:00Z")
        let d = try #require(duties.duty(.strategyDiscussion))
        #expect(d.due == at("2026-12-24T23:59:59Z"))
        #expect(d.rule == "TIME-000-01")
        #expect(d.status == .open)
        #expect(d.basis.description == "concern-received at 2026-12-24T15:00:00Z")
    }

    @Test("TIME-000-01: a referral at 00:30 BST belongs to that London day, not the UTC one")
    func sameDayIsLondonDay() throws {
        let duties = pack.duties([Event.concern("2026-06-10T23:30:00Z")], facts: newReferral, asOf: "2026-06-10T23:31:00Z")
        #expect(duties.duty(.strategyDiscussion)?.due == at("2026-06-11T22:59:59Z"))
    }

    @Test("TIME-000-01: an open case on Christmas Eve is due by the end of Tuesday 29 December")
    func openCaseOverChristmas() {
        let duties = pack.duties([Event.concern("2026-12-24T15:00:00Z")], facts: openCase, asOf: "2026-12-24T16:00:00Z")
        #expect(duties.duty(.strategyDiscussion)?.due == at("2026-12-29T23:59:59Z"))
    }

    @Test("TIME-000-01: an open case on Maundy Thursday is due by the end of the Tuesday after Easter (BST)")
    func openCaseOverEaster() {
        let duties = pack.duties([Event.concern("2026-04-02T14:00:00Z")], facts: openCase, asOf: "2026-04-02T15:00:00Z")
        #expect(duties.duty(.strategyDiscussion)?.due == at("2026-04-07T22:59:59Z"))
    }

    @Test("TIME-000-01: an open case on the Friday before the clocks go back is due Monday 23:59:59 GMT")
    func openCaseOverAutumnClockChange() {
        let duties = pack.duties([Event.concern("2026-10-23T14:00:00Z")], facts: openCase, asOf: "2026-10-23T15:00:00Z")
        #expect(duties.duty(.strategyDiscussion)?.due == at("2026-10-26T23:59:59Z"))
    }

    @Test("TIME-000-01: held that evening is met; held on Christmas Day is missed")
    func metAndMissed() throws {
        let met = pack.duties([Event.concern("2026-12-24T15:00:00Z"), Event.discussion("d1", "2026-12-24T18:00:00Z")],
                              facts: newReferral, asOf: "2026-12-30T00:00:00Z")
        #expect(met.duty(.strategyDiscussion)?.status == .met)
        #expect(met.duty(.strategyDiscussion)?.fulfilledAt == at("2026-12-24T18:00:00Z"))
        let missed = pack.duties([Event.concern("2026-12-24T15:00:00Z"), Event.discussion("d1", "2026-12-25T09:00:00Z")],
                                 facts: newReferral, asOf: "2026-12-30T00:00:00Z")
        #expect(missed.duty(.strategyDiscussion)?.status == .missed)
        let overdue = pack.duties([Event.concern("2026-12-24T15:00:00Z")], facts: newReferral, asOf: "2026-12-25T00:00:00Z")
        #expect(overdue.duty(.strategyDiscussion)?.status == .missed)
    }

    @Test("TIME-000-01: with no concern recorded, the request starts the clock (Friday before the August bank holiday)")
    func requestFallback() {
        let duties = pack.duties([Event.request("2026-08-28T10:00:00Z")], facts: newReferral, asOf: "2026-08-28T11:00:00Z")
        #expect(duties.duty(.strategyDiscussion)?.due == at("2026-08-28T22:59:59Z"))
        #expect(duties.duty(.strategyDiscussion)?.basis.kind == .requestMade)
    }

    // MARK: TIME-000-03

    @Test("TIME-000-03: a further discussion is due by the date the discussion set")
    func reviewBySetDate() throws {
        let events = [Event.concern("2026-12-18T09:00:00Z"),
                      Event.discussion("d1", "2026-12-18T10:00:00Z", outcome: .s47Joint, furtherBy: "2027-01-08T17:00:00Z"),
                      Event.discussion("d2", "2027-01-07T10:00:00Z", outcome: .s47Joint)]
        let duties = pack.duties(events, asOf: "2027-01-10T00:00:00Z")
        let review = try #require(duties.duty(.reviewDiscussion, discussion: "d1"))
        #expect(review.due == at("2027-01-08T17:00:00Z"))
        #expect(review.status == .met)
        #expect(review.rule == "TIME-000-03")
        #expect(duties.duty(.reviewDiscussion, discussion: "d2")?.status == .notRequired)
    }

    // MARK: TIME-ALL-01

    @Test("TIME-ALL-01: an ICPC is due 15 working days after the s47 discussion, over Christmas and New Year")
    func icpcOverChristmas() throws {
        let events = [Event.discussion("d1", "2026-12-18T10:00:00Z", outcome: .s47Joint),
                      Event.discussion("d2", "2027-01-05T10:00:00Z", outcome: .s47Joint)]
        let duties = pack.duties(events, asOf: "2027-01-06T00:00:00Z")
        let icpc = try #require(duties.duty(.icpc))
        #expect(icpc.due == at("2027-01-13T23:59:59Z"))
        #expect(icpc.basis.discussion == "d1")
        #expect(icpc.status == .open)
    }

    @Test("TIME-ALL-01: counted from the discussion that started the s47, not an earlier deferred one")
    func icpcFromInitiatingDiscussion() {
        let events = [Event.discussion("d1", "2026-12-11T10:00:00Z", outcome: .deferred),
                      Event.discussion("d2", "2026-12-18T10:00:00Z", outcome: .s47Single),
                      Event.icpc("2027-01-12T10:00:00Z")]
        let icpc = pack.duties(events, asOf: "2027-02-01T00:00:00Z").duty(.icpc)
        #expect(icpc?.basis.discussion == "d2")
        #expect(icpc?.status == .met)
    }

    @Test("TIME-ALL-01 and DEC-000-01: the s47 enquiry, not the discussion, decides that no ICPC is needed")
    func icpcNotRequired() {
        let events = [Event.discussion("d1", "2026-12-18T10:00:00Z", outcome: .s47Joint),
                      Event.s47Completed("2026-12-23T10:00:00Z", icpcRequired: false)]
        #expect(pack.duties(events, asOf: "2027-02-01T00:00:00Z").duty(.icpc)?.status == .notRequired)
        let noS47 = [Event.discussion("d1", "2026-12-18T10:00:00Z", outcome: .noS47ThresholdNotMet)]
        #expect(pack.duties(noS47, asOf: "2027-02-01T00:00:00Z").duty(.icpc) == nil)
    }

    @Test("Duties the procedure sets no timescale for are absent")
    func absentDuties() {
        let events = [Event.concern("2026-12-18T09:00:00Z"), Event.discussion("d1", "2026-12-18T10:00:00Z", outcome: .s47Joint)]
        let duties = pack.duties(events, asOf: "2026-12-18T11:00:00Z")
        #expect(duties.duty(.minutesCirculation, discussion: "d1") == nil)
        #expect(duties.duty(.s47Completion) == nil)
        #expect(duties.duty(.assessment) == nil)
    }

    // MARK: Attendance

    @Test("ATT-ALL-01: social worker, team manager, police and health make the discussion quorate")
    func quorate() {
        let answer = pack.attendance(attendees: fullCore)
        #expect(answer.quorate)
        #expect(answer.missing.isEmpty)
        #expect(answer.chairPresent)
        #expect(answer.required.filter(\.requirement.quorum).map(\.requirement.rule) == Array(repeating: "ATT-ALL-01", count: 4))
    }

    @Test("ATT-ALL-01: without health it is not quorate, and urgency gives no exception in this pack")
    func notQuorateWithoutHealth() {
        let present = attendees("childrens-social-care:social-worker", "childrens-social-care:team-manager", "police")
        let answer = pack.attendance(urgent: true, attendees: present)
        #expect(!answer.quorate)
        #expect(!answer.urgentException)
        #expect(answer.missing.map(\.requirement.agency) == ["health"])
    }

    @Test("ATT-ALL-01: a paediatrician counts as health")
    func paediatricianIsHealth() {
        let present = attendees("childrens-social-care:social-worker", "childrens-social-care:team-manager", "police", "paediatrics")
        #expect(pack.attendance(attendees: present).quorate)
    }

    @Test("ATT-000-01: midwifery for an unborn child, SARC for sexual abuse, each with its rule")
    func conditionalInvitees() {
        let answer = pack.attendance(concerns: ["unborn", "sexual-abuse"], attendees: fullCore)
        #expect(Set(answer.missing.map(\.requirement.agency)) == ["midwifery", "sarc"])
        #expect(answer.missing.allSatisfy { $0.requirement.rule == "ATT-000-01" })
        #expect(answer.quorate, "conditional invitees do not affect quoracy")
    }

    @Test("ATT-000-01: youth justice if involved; the fostering or residential service for a child in care")
    func childCircumstances() {
        let child = ChildCircumstances(lookedAfter: true, youthJusticeOpen: true)
        let answer = pack.attendance(child: child, attendees: fullCore + attendees("residential"))
        #expect(answer.missing.map(\.requirement.agency) == ["youth-justice"])
    }

    @Test("ATT-000-01: the LA solicitor is recommended only for complex cases; the referrer and school always")
    func recommended() {
        let plain = pack.attendance(attendees: fullCore).recommended.map(\.requirement.agency)
        #expect(plain.contains("referrer") && plain.contains("education"))
        #expect(!plain.contains("la-legal"))
        let complex = pack.attendance(concerns: ["complex-abuse"], attendees: fullCore).recommended.map(\.requirement.agency)
        #expect(complex.contains("la-legal"))
    }

    @Test("TIME-000-02: suspected sexual abuse prompts contacting the SARC before convening")
    func sarcAlert() {
        let answer = pack.attendance(concerns: ["sexual-abuse"], attendees: fullCore)
        #expect(answer.alerts.map(\.rule) == ["TIME-000-02"])
        #expect(pack.attendance(concerns: ["neglect"], attendees: fullCore).alerts.isEmpty)
    }

    @Test("ATT-ALL-02: a team manager chairs; a social worker alone is not a chair")
    func chair() {
        #expect(pack.attendance(attendees: attendees("childrens-social-care:social-worker")).chairPresent == false)
        #expect(pack.attendance(attendees: attendees("childrens-social-care:team-manager")).chairPresent)
    }

    // MARK: Slots

    @Test("SLOT-ALL-01: no fixed calendar; a request late on Christmas Eve gets 09:00 on Tuesday 29 December")
    func officeHoursSlot() throws {
        let offer = try pack.slot(requestedAt: "2026-12-24T16:45:00Z")
        #expect(offer.start == at("2026-12-29T09:00:00Z"))
        #expect(offer.end == at("2026-12-29T10:00:00Z"))
        #expect(offer.rule == "SLOT-ALL-01")
    }

    @Test("SLOT-ALL-01: half-hour grid in London time; a booked hour is skipped")
    func gridAndBooked() throws {
        #expect(try pack.slot(requestedAt: "2026-06-10T10:10:00Z").start == at("2026-06-10T10:30:00Z"))
        #expect(try pack.slot(requestedAt: "2026-06-10T10:10:00Z", booked: ["2026-06-10T10:30:00Z"]).start
            == at("2026-06-10T11:30:00Z"))
    }

    @Test("SLOT-ALL-01: an immediate discussion is offered at any hour, even on Christmas Day")
    func immediateAnyTime() throws {
        let offer = try pack.slot(requestedAt: "2026-12-25T02:10:00Z", urgency: .immediate)
        #expect(offer.start == at("2026-12-25T02:30:00Z"))
        #expect(offer.outsidePattern)
    }
}

/// Issue 16: a declined request is not overdue.
extension FrontDoorPackTests {
    @Test("REQ-001-02: a request the manager declined on Christmas Eve is not overdue for the strategy discussion")
    func declinedRequestNotOverdue() throws {
        let events: [TimelineEvent] = [Event.concern("2026-12-24T09:00:00Z"), Event.request("2026-12-24T10:00:00Z"),
                                       .requestDeclined(at: at("2026-12-24T11:00:00Z"))]
        let d = try #require(pack.duties(events, asOf: "2026-12-29T09:00:00Z").duty(.strategyDiscussion))
        #expect(d.status == .notRequired)
        let notDeclined = Array(events.dropLast())
        #expect(pack.duties(notDeclined, asOf: "2026-12-29T09:00:00Z").duty(.strategyDiscussion)?.status == .missed)
    }
}

extension FrontDoorPackTests {
    @Test("ATT-000-01: the LA solicitor is suggested when the request marks the concerns complex, whatever the concerns")
    func solicitorWhenComplex() {
        let answer = AttendanceEngine(pack: pack).evaluate(AttendanceQuestion(complex: true, concerns: ["neglect"], attendees: fullCore))
        let legal = answer.recommended.first { $0.requirement.agency == "la-legal" }
        #expect(legal?.reason == "the concerns are complex")
        #expect(!pack.attendance(concerns: ["neglect"], attendees: fullCore).recommended.contains { $0.requirement.agency == "la-legal" })
    }
}
