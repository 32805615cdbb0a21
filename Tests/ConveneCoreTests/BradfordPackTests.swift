import ConveneCore
import ConveneTestSupport
import Testing

/// Pack `bradford` (seed 001).
@Suite("Bradford pack")
struct BradfordPackTests {
    let pack = Packs.bradford

    // MARK: TIME-001-01

    @Test("TIME-001-01: 24-hour request made Friday 16:00 is due Saturday 16:00")
    func standardOverWeekend() throws {
        let d = try #require(pack.duties([Event.request("2026-11-20T16:00:00Z")], asOf: "2026-11-20T17:00:00Z")
            .duty(.strategyDiscussion))
        #expect(d.due == at("2026-11-21T16:00:00Z"))
        #expect(d.rule == "TIME-001-01")
        #expect(d.timescaleText == "within 24 hours")
    }

    @Test("TIME-001-01 and INT-ALL-01: 24 elapsed hours across the spring clock change end at 11:00 BST")
    func standardOverSpringChange() {
        let due = pack.duties([Event.request("2026-03-28T10:00:00Z")], asOf: "2026-03-28T10:00:00Z").duty(.strategyDiscussion)?.due
        #expect(due == at("2026-03-29T10:00:00Z"))
        #expect(RFC3339.formatLondon(due!) == "2026-03-29T11:00:00+01:00")
    }

    @Test("TIME-001-01: a 2-hour request at 01:30 BST on the night the clocks go back is due 02:30 GMT")
    func immediateOverAutumnChange() {
        let due = pack.duties([Event.request("2026-10-25T00:30:00Z", .immediate)], asOf: "2026-10-25T00:30:00Z")
            .duty(.strategyDiscussion)?.due
        #expect(due == at("2026-10-25T02:30:00Z"))
    }

    @Test("TIME-001-01: 'other' uses the time agreed with the service manager")
    func otherUrgency() {
        let events = [Event.request("2026-12-22T10:00:00Z", .other, agreedDue: "2026-12-29T10:00:00Z")]
        let d = pack.duties(events, asOf: "2026-12-23T10:00:00Z").duty(.strategyDiscussion)
        #expect(d?.due == at("2026-12-29T10:00:00Z"))
        #expect(d?.status == .open)
    }

    @Test("TIME-001-01: held exactly at the deadline is met; one second later is missed")
    func boundary() {
        let base = [Event.request("2026-11-20T16:00:00Z")]
        #expect(pack.duties(base + [Event.discussion("d1", "2026-11-21T16:00:00Z")], asOf: "2026-11-30T00:00:00Z")
            .duty(.strategyDiscussion)?.status == .met)
        #expect(pack.duties(base + [Event.discussion("d1", "2026-11-21T16:00:01Z")], asOf: "2026-11-30T00:00:00Z")
            .duty(.strategyDiscussion)?.status == .missed)
        #expect(pack.duties(base, asOf: "2026-11-21T16:00:00Z").duty(.strategyDiscussion)?.status == .open)
        #expect(pack.duties(base, asOf: "2026-11-21T16:00:01Z").duty(.strategyDiscussion)?.status == .missed)
    }

    @Test("TIME-001-01: Bradford's clock starts at the request, so a concern alone owes nothing yet")
    func concernAlone() {
        #expect(pack.duties([Event.concern("2026-11-20T09:00:00Z")], asOf: "2026-11-20T10:00:00Z").isEmpty)
    }

    // MARK: REC-001-01

    @Test("REC-001-01: minutes of a Christmas Eve meeting are due on Christmas Day; circulated on 29 December is late")
    func minutesCirculation() throws {
        let events = [Event.request("2026-12-24T09:00:00Z"), Event.discussion("d1", "2026-12-24T15:00:00Z"),
                      Event.minutesCirculated("d1", "2026-12-29T09:00:00Z")]
        let m = try #require(pack.duties(events, asOf: "2026-12-30T00:00:00Z").duty(.minutesCirculation, discussion: "d1"))
        #expect(m.due == at("2026-12-25T15:00:00Z"))
        #expect(m.status == .missed)
        #expect(m.rule == "REC-001-01")
    }

    // MARK: TIME-ALL-01

    @Test("TIME-ALL-01: ICPC 15 working days after an s47 decided the Friday before Easter week's run-up")
    func icpcOverEaster() {
        let events = [Event.discussion("d1", "2026-03-20T10:00:00Z", outcome: .s47Single)]
        #expect(pack.duties(events, asOf: "2026-03-21T00:00:00Z").duty(.icpc)?.due == at("2026-04-14T22:59:59Z"))
    }

    // MARK: SLOT-001-01, TIME-001-02

    @Test("SLOT-001-01: a request late on Christmas Eve is booked at 09:00 on Tuesday 29 December, for one hour")
    func christmasSlot() throws {
        let offer = try pack.slot(requestedAt: "2026-12-24T16:30:00Z")
        #expect(offer.start == at("2026-12-29T09:00:00Z"))
        #expect(offer.end == at("2026-12-29T10:00:00Z"))
        #expect(offer.rule == "SLOT-001-01")
        #expect(offer.lengthRule == "TIME-001-02")
    }

    @Test("SLOT-001-01: after 16:00 on Maundy Thursday the next slot is 09:00 BST on the Tuesday after Easter")
    func easterSlot() throws {
        #expect(try pack.slot(requestedAt: "2026-04-02T15:05:00Z").start == at("2026-04-07T08:00:00Z"))
    }

    @Test("SLOT-001-01: no slot at 12:00; a request at 11:30 gets 13:00, or 14:00 if 13:00 is booked")
    func lunchGapAndBooked() throws {
        #expect(try pack.slot(requestedAt: "2026-11-23T11:30:00Z").start == at("2026-11-23T13:00:00Z"))
        #expect(try pack.slot(requestedAt: "2026-11-23T11:30:00Z", booked: ["2026-11-23T13:00:00Z"]).start
            == at("2026-11-23T14:00:00Z"))
        #expect(try pack.slot(requestedAt: "2026-11-23T09:00:00Z").start == at("2026-11-23T09:00:00Z"))
    }

    @Test("SLOT-ALL-01: never double-booked: with every slot of a day booked, the next day's first is offered")
    func fullDay() throws {
        let booked = ["09", "10", "11", "13", "14", "15", "16"].map { "2026-11-23T\($0):00:00Z" }
        #expect(try pack.slot(requestedAt: "2026-11-23T08:00:00Z", booked: booked).start == at("2026-11-24T09:00:00Z"))
    }

    @Test("TIME-001-02: every Bradford slot lasts exactly one hour")
    func slotLength() {
        #expect(pack.slots.dailySlots.allSatisfy { $0.end - $0.start == 3600 })
        #expect(pack.slots.dailySlots.count == 7)
    }

    // MARK: Attendance

    @Test("ATT-ALL-01: social worker, team manager, police and health are mandatory")
    func mandatory() {
        #expect(pack.attendance(attendees: fullCore).quorate)
        let noPolice = attendees("childrens-social-care:social-worker", "childrens-social-care:team-manager", "health")
        let answer = pack.attendance(urgent: true, attendees: noPolice)
        #expect(!answer.quorate)
        #expect(answer.missing.map(\.requirement.agency) == ["police"])
    }

    @Test("ATT-ALL-02: the service manager chairs in the team manager's absence")
    func serviceManagerChairs() {
        let present = attendees("childrens-social-care:social-worker", "childrens-social-care:service-manager", "police", "health")
        let answer = pack.attendance(attendees: present)
        #expect(answer.chairPresent)
        #expect(answer.quorate)
    }

    @Test("ATT-001-01: youth justice if open, fostering or residential if in care, paediatrician for injuries, SARC for sexual abuse")
    func conditional() {
        let child = ChildCircumstances(lookedAfter: true, youthJusticeOpen: true)
        let answer = pack.attendance(concerns: ["injury", "sexual-abuse"], child: child, attendees: fullCore)
        #expect(Set(answer.missing.map(\.requirement.agency)) == ["youth-justice", "fostering", "paediatrics", "sarc"])
        #expect(answer.missing.allSatisfy { $0.requirement.rule == "ATT-001-01" })
        let none = pack.attendance(concerns: ["neglect"], attendees: fullCore)
        #expect(none.missing.isEmpty)
    }
}

extension BradfordPackTests {
    @Test("TIME-001-01: a meeting held before its request was written down still met the request's timescale")
    func heldBeforeRequestRecorded() throws {
        let events = [Event.discussion("d1", "2026-11-21T02:00:00Z"), Event.request("2026-11-21T09:00:00Z", .immediate)]
        let d = try #require(pack.duties(events, asOf: "2026-11-22T00:00:00Z").duty(.strategyDiscussion))
        #expect(d.status == .met)
        #expect(d.basis.kind == .requestMade)
    }
}

/// Issue 16: a 2-hour request is offered a meeting inside the 2 hours, at any hour.
extension BradfordPackTests {
    @Test("TIME-001-01: a 2-hour request made Friday 16:30 is offered Friday 16:30 outside the slots, not Monday 09:00")
    func twoHourFridayEvening() throws {
        let offer = try pack.slot(requestedAt: "2026-11-20T16:30:00Z", urgency: .immediate)
        #expect(offer.start == at("2026-11-20T16:30:00Z"))
        #expect(offer.end == at("2026-11-20T17:30:00Z"))
        #expect(offer.outsidePattern)
    }

    @Test("TIME-001-01: a 2-hour request at 10:20 on a Wednesday gets the 11:00 slot, which is inside the 2 hours")
    func twoHourSlotInTime() throws {
        let offer = try pack.slot(requestedAt: "2026-11-25T10:20:00Z", urgency: .immediate)
        #expect(offer.start == at("2026-11-25T11:00:00Z"))
        #expect(!offer.outsidePattern)
    }

    @Test("TIME-001-01 and SLOT-ALL-01: a 2-hour request on Christmas Eve 15:10 with the 16:00 slot booked gets 17:00, off the slots")
    func twoHourChristmasEveBooked() throws {
        let offer = try pack.slot(requestedAt: "2026-12-24T15:10:00Z", urgency: .immediate, booked: ["2026-12-24T16:00:00Z"])
        #expect(offer.start == at("2026-12-24T17:00:00Z"))
        #expect(offer.outsidePattern)
    }

    @Test("TIME-001-01: a 2-hour request at 01:30 BST as the clocks go back is offered straight away, on Sunday night")
    func twoHourClockChange() throws {
        let offer = try pack.slot(requestedAt: "2026-10-25T00:30:00Z", urgency: .immediate)
        #expect(offer.start == at("2026-10-25T00:30:00Z"))
        let due = try #require(pack.duties([Event.request("2026-10-25T00:30:00Z", .immediate)], asOf: "2026-10-25T00:30:00Z")
            .duty(.strategyDiscussion)?.due)
        #expect(offer.start <= due)
    }

    @Test("SLOT-001-01: a standard request keeps to the fixed slots")
    func standardKeepsSlots() throws {
        #expect(try pack.slot(requestedAt: "2026-11-20T16:30:00Z").start == at("2026-11-23T09:00:00Z"))
    }

    @Test("DEC-ALL-01: a deferred decision makes the next meeting due by the date set (no child left too long without a decision)")
    func deferredDecision() throws {
        let events = [Event.request("2026-12-22T09:00:00Z"), Event.discussion("d1", "2026-12-22T14:00:00Z", outcome: .deferred,
                                                                             furtherBy: "2026-12-29T23:59:59Z")]
        let review = try #require(pack.duties(events, asOf: "2026-12-23T09:00:00Z").duty(.reviewDiscussion, discussion: "d1"))
        #expect(review.due == at("2026-12-29T23:59:59Z"))
        #expect(review.status == .open)
        let notDeferred = [Event.request("2026-12-22T09:00:00Z"), Event.discussion("d1", "2026-12-22T14:00:00Z", outcome: .s47Joint,
                                                                                  furtherBy: "2026-12-29T23:59:59Z")]
        #expect(pack.duties(notDeferred, asOf: "2026-12-23T09:00:00Z").duty(.reviewDiscussion, discussion: "d1") == nil)
    }
}

extension BradfordPackTests {
    @Test("ATT-001-01: the request form's attendee table lists a GP, suggested for every meeting")
    func gpSuggested() {
        #expect(pack.agencyName("gp") == "GP (general practitioner)")
        #expect(pack.attendance(attendees: fullCore).recommended.contains { $0.requirement.agency == "gp" })
    }
}
