import ConveneCore
import ConveneTestSupport
import Testing

/// Pack `hertfordshire` (seed 002).
@Suite("Hertfordshire pack")
struct HertfordshirePackTests {
    let pack = Packs.hertfordshire

    // MARK: TIME-002-01

    @Test("TIME-002-01: within 24 hours of receiving the referral, even over Christmas")
    func twentyFourHours() throws {
        let d = try #require(pack.duties([Event.concern("2026-12-24T11:00:00Z")], asOf: "2026-12-24T12:00:00Z")
            .duty(.strategyDiscussion))
        #expect(d.due == at("2026-12-25T11:00:00Z"))
        #expect(d.rule == "TIME-002-01")
    }

    @Test("TIME-002-01: after immediate action on the Friday before the May bank holiday, by the end of Tuesday")
    func afterImmediateAction() throws {
        let d = try #require(pack.duties([Event.immediateAction("2026-05-01T19:00:00Z")], asOf: "2026-05-01T20:00:00Z")
            .duty(.strategyDiscussion))
        #expect(d.due == at("2026-05-05T22:59:59Z"))
        #expect(d.basis.kind == .immediateAction)
    }

    @Test("TIME-002-01: when both apply, the earlier deadline wins")
    func earliestWins() throws {
        let events = [Event.immediateAction("2026-05-01T19:00:00Z"), Event.concern("2026-05-02T09:00:00Z")]
        let d = try #require(pack.duties(events, asOf: "2026-05-02T10:00:00Z").duty(.strategyDiscussion))
        #expect(d.due == at("2026-05-03T09:00:00Z"))
        #expect(d.basis.kind == .concernReceived)
    }

    // MARK: TIME-002-02

    @Test("TIME-002-02: complex concerns need a discussion the same day and a face-to-face meeting within 5 working days")
    func complexCase() throws {
        let events = [Event.concern("2026-08-27T15:00:00Z"),
                      Event.discussion("d1", "2026-08-27T16:00:00Z", outcome: .deferred),
                      Event.discussion("d2", "2026-09-03T10:00:00Z", outcome: .s47Joint, faceToFace: true)]
        let duties = pack.duties(events, facts: CaseFacts(complex: true), asOf: "2026-09-05T00:00:00Z")
        let first = try #require(duties.duty(.strategyDiscussion))
        #expect(first.due == at("2026-08-27T22:59:59Z"))
        #expect(first.rule == "TIME-002-02")
        #expect(first.status == .met)
        let meeting = try #require(duties.duty(.faceToFaceMeeting))
        #expect(meeting.due == at("2026-09-04T22:59:59Z"))
        #expect(meeting.status == .met)
        #expect(meeting.fulfilledAt == at("2026-09-03T10:00:00Z"))
    }

    @Test("TIME-002-02: no face-to-face deadline when the concerns are not complex")
    func notComplex() {
        let duties = pack.duties([Event.concern("2026-08-27T15:00:00Z")], asOf: "2026-08-27T16:00:00Z")
        #expect(duties.duty(.faceToFaceMeeting)?.status == .notRequired)
        #expect(duties.duty(.strategyDiscussion)?.due == at("2026-08-28T15:00:00Z"))
    }

    // MARK: REC-002-01

    @Test("REC-002-01: minutes of a Friday discussion are due by the end of Monday, after the clocks go back")
    func minutesWithinOneWorkingDay() {
        let events = [Event.discussion("d1", "2026-10-23T14:00:00Z"), Event.minutesCirculated("d1", "2026-10-26T16:00:00Z")]
        let m = pack.duties(events, asOf: "2026-10-27T00:00:00Z").duty(.minutesCirculation, discussion: "d1")
        #expect(m?.due == at("2026-10-26T23:59:59Z"))
        #expect(m?.status == .met)
    }

    // MARK: TIME-002-04

    @Test("TIME-002-04: review discussions at most 15 working days apart while the enquiry is open")
    func reviews() throws {
        let events = [Event.discussion("d1", "2026-11-02T10:00:00Z", outcome: .s47Joint),
                      Event.discussion("d2", "2026-11-20T10:00:00Z", outcome: .s47Joint),
                      Event.s47Completed("2026-12-01T10:00:00Z"),
                      Event.discussion("d3", "2026-12-03T10:00:00Z", outcome: .s47Joint)]
        let duties = pack.duties(events, asOf: "2026-12-04T00:00:00Z")
        let r1 = try #require(duties.duty(.reviewDiscussion, discussion: "d1"))
        #expect(r1.due == at("2026-11-23T23:59:59Z"))
        #expect(r1.status == .met)
        let r2 = try #require(duties.duty(.reviewDiscussion, discussion: "d2"))
        #expect(r2.due == at("2026-12-11T23:59:59Z"))
        #expect(r2.fulfilledAt == at("2026-12-03T10:00:00Z"))
        #expect(duties.duty(.reviewDiscussion, discussion: "d3")?.status == .notRequired)
    }

    @Test("TIME-002-04: a date set by the discussion wins when it is sooner than 15 working days")
    func reviewBySetDate() {
        let events = [Event.discussion("d1", "2026-11-02T10:00:00Z", outcome: .deferred, furtherBy: "2026-11-09T17:00:00Z")]
        let r = pack.duties(events, asOf: "2026-11-10T00:00:00Z").duty(.reviewDiscussion, discussion: "d1")
        #expect(r?.due == at("2026-11-09T17:00:00Z"))
        #expect(r?.status == .missed)
    }

    @Test("TIME-002-04: no review is owed after a no-s47 outcome")
    func noReviewWithoutS47() {
        let events = [Event.discussion("d1", "2026-11-02T10:00:00Z", outcome: .noS47Marginal)]
        #expect(pack.duties(events, asOf: "2026-11-03T00:00:00Z").duty(.reviewDiscussion, discussion: "d1")?.status == .notRequired)
    }

    // MARK: TIME-002-03, TIME-ALL-01

    @Test("TIME-002-03 and INT-ALL-05: the assessment's 45 days are working days, over Christmas and New Year")
    func assessment() throws {
        let a = try #require(pack.duties([Event.concern("2026-11-02T10:00:00Z")], asOf: "2026-11-03T00:00:00Z").duty(.assessment))
        #expect(a.due == at("2027-01-07T23:59:59Z"))
        #expect(a.timescaleText.contains("45 days"))
    }

    @Test("TIME-ALL-01 and INT-ALL-05: the ICPC's 15 days are working days; the pack keeps the source's wording")
    func icpc() throws {
        let events = [Event.discussion("d1", "2026-12-18T10:00:00Z", outcome: .s47Joint)]
        let i = try #require(pack.duties(events, asOf: "2026-12-19T00:00:00Z").duty(.icpc))
        #expect(i.due == at("2027-01-13T23:59:59Z"))
        #expect(i.timescaleText.contains("15 days"))
    }

    // MARK: SLOT-002-01

    @Test("SLOT-002-01: booked 24 hours after the request, at the next session (10:00 request → 10:30 next day)")
    func twentyFourHoursLater() throws {
        let offer = try pack.slot(requestedAt: "2026-11-23T10:00:00Z")
        #expect(offer.start == at("2026-11-24T10:30:00Z"))
        #expect(offer.end == at("2026-11-24T11:00:00Z"))
        #expect(offer.rule == "SLOT-002-01")
        #expect(try pack.slot(requestedAt: "2026-11-23T09:45:00Z").start == at("2026-11-24T09:45:00Z"))
    }

    @Test("SLOT-002-01: 24 hours after Christmas Eve is a bank holiday; the next session is Tuesday 29 December")
    func christmas() throws {
        #expect(try pack.slot(requestedAt: "2026-12-24T09:00:00Z").start == at("2026-12-29T09:00:00Z"))
    }

    @Test("SLOT-002-01: a Friday request lands on Monday 09:00 BST after the clocks go forward")
    func springForward() throws {
        #expect(try pack.slot(requestedAt: "2026-03-27T10:00:00Z").start == at("2026-03-30T08:00:00Z"))
    }

    @Test("SLOT-002-01: a taken session moves the booking to the next one")
    func taken() throws {
        #expect(try pack.slot(requestedAt: "2026-11-23T10:00:00Z", booked: ["2026-11-24T10:30:00Z"]).start
            == at("2026-11-24T11:15:00Z"))
    }

    @Test("SLOT-002-01: at most 40 a week: with a whole week booked, the next free session is the Monday after")
    func fortyAWeek() throws {
        let days = ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
        let times = ["09:00", "09:45", "10:30", "11:15", "13:45", "14:30", "15:15", "16:00"]
        let booked = days.flatMap { d in times.map { "\(d)T\($0):00Z" } }
        #expect(booked.count == 40)
        #expect(try pack.slot(requestedAt: "2026-11-29T08:00:00Z", booked: booked).start == at("2026-12-07T09:00:00Z"))
    }

    @Test("SLOT-002-01: an immediate request takes the next session the same day, without the 24-hour lead")
    func immediate() throws {
        #expect(try pack.slot(requestedAt: "2026-11-23T10:00:00Z", urgency: .immediate).start == at("2026-11-23T10:30:00Z"))
    }

    // MARK: Attendance

    @Test("ATT-ALL-01 (seed 002 §6): children's services and police are the minimum; health missing is noted, not fatal")
    func minimum() {
        let present = attendees("childrens-social-care:team-manager", "police:jcpit-manager")
        let answer = pack.attendance(attendees: present)
        #expect(answer.quorate)
        #expect(answer.missing.map(\.requirement.agency) == ["health"])
    }

    @Test("ATT-002-01: a JCPIT manager is required; an officer alone leaves it missing, with what to record")
    func jcpitManager() throws {
        let answer = pack.attendance(attendees: attendees("childrens-social-care:team-manager", "police:officer", "health"))
        let missing = try #require(answer.missing.first)
        #expect(missing.requirement.roles == ["jcpit-manager"])
        #expect(missing.requirement.rule == "ATT-002-01")
        #expect(missing.requirement.note?.contains("reason") == true)
        #expect(answer.quorate)
    }

    @Test("ATT-002-01: paediatrician for injury, consultant and ward nurse for an in-patient, midwifery for unborn, fostering if looked after")
    func conditional() {
        let present = attendees("childrens-social-care:team-manager", "police:jcpit-manager", "health")
        let answer = pack.attendance(concerns: ["injury", "unborn"], child: ChildCircumstances(lookedAfter: true, inPatient: true),
                                     attendees: present)
        let missing = answer.missing.map { "\($0.requirement.agency):\($0.requirement.roles.joined())" }
        #expect(Set(missing) == ["paediatrics:", "health:consultant", "health:ward-nurse", "midwifery:", "fostering:"])
        #expect(answer.missing.allSatisfy { $0.requirement.rule == "ATT-002-01" })
    }
}

/// Issue 16: the 24 hours run from the request; `other` moves the deadline and the first session.
extension HertfordshirePackTests {
    @Test("TIME-002-02: an 'other' request agreed for Thursday 10:30 is due then, not 24 hours after the referral")
    func otherMovesDeadline() throws {
        let events = [Event.concern("2026-11-23T09:00:00Z"),
                      Event.request("2026-11-23T10:00:00Z", .other, agreedDue: "2026-11-26T10:30:00Z")]
        let d = try #require(pack.duties(events, asOf: "2026-11-23T11:00:00Z").duty(.strategyDiscussion))
        #expect(d.due == at("2026-11-26T10:30:00Z"))
        #expect(d.rule == "TIME-002-02")
        #expect(d.status == .open)
    }

    @Test("SLOT-002-01 and TIME-002-02: the first session offered for an 'other' request is the agreed one, over the clock change")
    func otherMovesFirstSession() throws {
        let offer = try SlotEngine(pack: pack).nextFree(SlotRequest(
            requestedAt: at("2026-10-23T10:00:00Z"), urgency: .other, notBefore: at("2026-10-27T10:30:00Z")))
        #expect(offer.start == at("2026-10-27T10:30:00Z"))
    }

    @Test("SLOT-002-01: counted from the request, not from when the booking is made; a session inside the 24 hours is refused")
    func twentyFourHoursFromRequest() throws {
        let engine = SlotEngine(pack: pack)
        // Requested Thursday 24 December 10:00; the booking page opened on Tuesday 29 December 08:00.
        let request = SlotRequest(requestedAt: at("2026-12-24T10:00:00Z"), urgency: .standard, notBefore: at("2026-12-29T08:00:00Z"))
        #expect(try engine.nextFree(request).start == at("2026-12-29T09:00:00Z"))
        let early = SlotRequest(requestedAt: at("2026-11-23T10:00:00Z"))
        let refusal = try #require(engine.refusal(start: at("2026-11-24T09:45:00Z"), for: early))
        #expect(refusal.contains("SLOT-002-01"))
        #expect(refusal.contains("24 hours"))
        #expect(engine.refusal(start: at("2026-11-24T10:30:00Z"), for: early) == nil)
        #expect(engine.refusal(start: at("2026-11-23T13:45:00Z"), for: SlotRequest(requestedAt: at("2026-11-23T10:00:00Z"),
                                                                                     urgency: .immediate)) == nil)
    }
}

/// Issue 16: pack data that differed from the seed text (002 §3, §6).
extension HertfordshirePackTests {
    @Test("ATT-002-01: the responsible consultant is required for a child receiving hospital or child development services, not only in-patients")
    func consultantForHospitalServices() {
        let present = attendees("childrens-social-care:team-manager", "police:jcpit-manager", "health")
        let services = pack.attendance(child: ChildCircumstances(hospitalServices: true), attendees: present)
        #expect(services.missing.map { "\($0.requirement.agency):\($0.requirement.roles.joined())" } == ["health:consultant"])
        #expect(services.missing.first?.reason == "the child receives hospital or child development services")
        #expect(pack.attendance(attendees: present).missing.isEmpty)
        let inPatient = pack.attendance(child: ChildCircumstances(inPatient: true), attendees: present)
        #expect(Set(inPatient.missing.map { $0.requirement.roles.joined() }) == ["consultant", "ward-nurse"])
    }

    @Test("AGN-001-01 (seed 002 §3): the checklist asks whether to interview the referrer or anyone else")
    func interviewReferrer() throws {
        let item = try #require(pack.checklist.first { $0.id == "interview-referrer" })
        #expect(item.text.contains("interview the referrer or anyone else"))
        #expect(item.requiredForFinal)
    }
}

extension HertfordshirePackTests {
    @Test("DEC-002-01: a no-s47 outcome records each of the five follow-ups of section 5, not one choice")
    func eachFollowUp() {
        var decision = ChildDecision()
        decision.outcome = .noS47ThresholdNotMet
        decision.outcomeRationale = "Threshold not met"
        decision.followUp = "services"
        let path = FieldPath("decisions").appending("child")
        let missing = decision.missing(pack: pack, path: path, meetingDate: day("2026-11-23")).map(\.field.description)
        let expected = ["further-information", "further-assessment", "monitoring", "services", "child-in-need-plan"]
            .map { "decisions.child.followUps.\($0)" }
        #expect(expected.allSatisfy(missing.contains), "\(missing)")
        decision.followUps = Dictionary(uniqueKeysWithValues: pack.withoutS47.map { ($0.id, "None") })
        decision.followUps?["further-information"] = "School attendance records; no further discussion needed"
        let after = decision.missing(pack: pack, path: path, meetingDate: day("2026-11-23")).map(\.field.description)
        #expect(!after.contains { $0.contains("followUp") }, "\(after)")
        #expect(pack.withoutS47Recording == .each)
        #expect(Packs.bradford.withoutS47Recording == .one)
    }
}

extension HertfordshirePackTests {
    @Test("REQ-002-01: the pack declares the teleconference request: title, police and health, and the extract's parts")
    func requestMessage() throws {
        let message = try #require(pack.requestMessage)
        #expect(message.to == ["police", "health"])
        #expect(message.extract == [.teleconference, .demographics, .relationships, .reasonForReferral])
        let request = DiscussionRequest(concernReceivedAt: at("2026-11-23T09:00:00Z"), children: [
            ChildDetails(name: "Amira Khan", dateOfBirth: day("2019-03-14"), caseNumber: "LCS-123456"),
        ])
        #expect(message.title(for: request, reference: "SD-2026-00001/1")
            == "S47 Strategy Teleconference Request – Amira Khan, LCS-123456, 14 March 2019")
        let text = try String(contentsOf: PackLibrary.builtInFile("hertfordshire"), encoding: .utf8)
            .replacingOccurrences(of: "{caseNumber}", with: "{lcsNumber}")
        let result = Result { try PackLibrary.parse(yaml: text, file: "bad.yaml") }
        guard case let .failure(failure) = result, let error = failure as? PackError else {
            Issue.record("an unknown placeholder was accepted")
            return
        }
        #expect(error.field.description == "requestMessage.title")
        #expect(error.message.contains("{lcsNumber}"))
    }
}
