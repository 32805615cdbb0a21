import ConveneCore
import ConveneTestSupport
import Testing

/// Pack `north-yorkshire` (seed 004).
@Suite("North Yorkshire pack")
struct NorthYorkshirePackTests {
    let pack = Packs.northYorkshire

    @Test("TIME-004-01: within 3 working days after protective steps taken on a Friday before Christmas")
    func threeWorkingDays() throws {
        let d = try #require(pack.duties([Event.immediateAction("2026-12-18T15:00:00Z")], asOf: "2026-12-18T16:00:00Z")
            .duty(.strategyDiscussion))
        #expect(d.due == at("2026-12-23T23:59:59Z"))
        #expect(d.rule == "TIME-004-01")
        #expect(d.timescaleText == "within 3 working days")
    }

    @Test("TIME-004-01: within 3 working days over Easter (BST)")
    func overEaster() {
        let due = pack.duties([Event.immediateAction("2026-04-02T10:00:00Z")], asOf: "2026-04-02T11:00:00Z").duty(.strategyDiscussion)?.due
        #expect(due == at("2026-04-09T22:59:59Z"))
    }

    @Test("TIME-004-01: immediate safeguarding concerns on Christmas Eve: by the end of Tuesday 29 December")
    func immediateConcerns() {
        let due = pack.duties([Event.concern("2026-12-24T10:00:00Z")], facts: CaseFacts(immediateConcerns: true),
                              asOf: "2026-12-24T11:00:00Z").duty(.strategyDiscussion)?.due
        #expect(due == at("2026-12-29T23:59:59Z"))
    }

    @Test("TIME-004-01: counted from the protective steps, which come after the concern")
    func countsFromProtectiveSteps() throws {
        let events = [Event.concern("2026-11-16T09:00:00Z"), Event.immediateAction("2026-11-18T12:00:00Z")]
        let d = try #require(pack.duties(events, asOf: "2026-11-18T13:00:00Z").duty(.strategyDiscussion))
        #expect(d.due == at("2026-11-23T23:59:59Z"))
        #expect(d.basis.kind == .immediateAction)
    }

    @Test("TIME-004-02: a LADO referral within one working day, over the Spring bank holiday")
    func lado() throws {
        let events = [Event.discussion("d1", "2026-05-22T14:00:00Z", lado: true), Event.ladoReferral("2026-05-26T09:00:00Z")]
        let l = try #require(pack.duties(events, asOf: "2026-05-27T00:00:00Z").duty(.ladoReferral, discussion: "d1"))
        #expect(l.due == at("2026-05-26T22:59:59Z"))
        #expect(l.status == .met)
        let notNeeded = pack.duties([Event.discussion("d1", "2026-05-22T14:00:00Z")], asOf: "2026-05-27T00:00:00Z")
        #expect(notNeeded.duty(.ladoReferral, discussion: "d1")?.status == .notRequired)
    }

    @Test("TIME-004-03: the s47 enquiry completes within 5 working days of the decision, over the Spring bank holiday")
    func s47Completion() throws {
        let events = [Event.discussion("d1", "2026-05-20T10:00:00Z", outcome: .s47Joint), Event.s47Completed("2026-05-29T10:00:00Z")]
        let s = try #require(pack.duties(events, asOf: "2026-06-01T00:00:00Z").duty(.s47Completion))
        #expect(s.due == at("2026-05-28T22:59:59Z"))
        #expect(s.status == .missed)
        #expect(s.rule == "TIME-004-03")
    }

    @Test("North Yorkshire sets no ICPC timescale of its own: the duty is absent")
    func noIcpc() {
        let events = [Event.discussion("d1", "2026-05-20T10:00:00Z", outcome: .s47Joint)]
        #expect(pack.duties(events, asOf: "2026-05-21T00:00:00Z").duty(.icpc) == nil)
    }

    @Test("ATT-004-01: an urgent discussion may go ahead with social care and police only, and says so")
    func urgentException() {
        let present = attendees("childrens-social-care:social-worker", "childrens-social-care:team-manager", "police")
        let urgent = pack.attendance(urgent: true, attendees: present)
        #expect(urgent.quorate)
        #expect(urgent.urgentException)
        #expect(urgent.urgentExceptionRule == "ATT-004-01")
        #expect(urgent.missing.map(\.requirement.agency) == ["health"])
    }

    @Test("ATT-004-01: not urgent, or without the police, there is no exception")
    func noException() {
        let withoutHealth = attendees("childrens-social-care:social-worker", "childrens-social-care:team-manager", "police")
        #expect(!pack.attendance(urgent: false, attendees: withoutHealth).quorate)
        let withoutPolice = attendees("childrens-social-care:social-worker", "childrens-social-care:team-manager", "health")
        let answer = pack.attendance(urgent: true, attendees: withoutPolice)
        #expect(!answer.quorate)
        #expect(!answer.urgentException)
    }

    @Test("ATT-ALL-01: a fully attended urgent discussion is quorate without using the exception")
    func fullUrgent() {
        let answer = pack.attendance(urgent: true, attendees: fullCore)
        #expect(answer.quorate)
        #expect(!answer.urgentException)
    }
}

/// Issue 16: one notion of urgency, and deferred decisions.
extension NorthYorkshirePackTests {
    @Test("TIME-004-01: a request of urgency immediate on Christmas Eve is due by the end of Tuesday 29 December, without a second box")
    func immediateUrgencyIsImmediateConcerns() throws {
        let events = [Event.concern("2026-12-24T10:00:00Z"), Event.request("2026-12-24T10:30:00Z", .immediate)]
        let d = try #require(pack.duties(events, asOf: "2026-12-24T11:00:00Z").duty(.strategyDiscussion))
        #expect(d.due == at("2026-12-29T23:59:59Z"))
        #expect(d.timescaleText == "within 1 working day")
        let standard = [Event.concern("2026-12-24T10:00:00Z"), Event.request("2026-12-24T10:30:00Z")]
        #expect(pack.duties(standard, asOf: "2026-12-24T11:00:00Z").duty(.strategyDiscussion)?.due == at("2026-12-31T23:59:59Z"))
    }

    @Test("DEC-ALL-01: a deferred decision on 22 May 2026 with the next discussion set for 27 May is due then, over the Spring bank holiday")
    func deferredDecisionIsADuty() throws {
        let events = [Event.discussion("d1", "2026-05-22T10:00:00Z", outcome: .deferred, furtherBy: "2026-05-27T22:59:59Z")]
        let review = try #require(pack.duties(events, asOf: "2026-05-28T09:00:00Z").duty(.reviewDiscussion, discussion: "d1"))
        #expect(review.due == at("2026-05-27T22:59:59Z"))
        #expect(review.status == .missed)
        #expect(review.rule == "DEC-ALL-01")
        let reconvened = events + [Event.discussion("d2", "2026-05-27T14:00:00Z", outcome: .s47Joint)]
        #expect(pack.duties(reconvened, asOf: "2026-05-28T09:00:00Z").duty(.reviewDiscussion, discussion: "d1")?.status == .met)
    }
}

extension NorthYorkshirePackTests {
    @Test("DEC-004-01: a significant change to the s47 outcome stands only when every original member endorses it")
    func endorsementRule() throws {
        let rules = try #require(pack.outcomeEndorsement)
        #expect(rules.rule == "DEC-004-01")
        #expect(rules.status(members: 4, endorsed: 3, objected: 0) == .awaiting)
        #expect(rules.status(members: 4, endorsed: 4, objected: 0) == .stands)
        #expect(rules.status(members: 4, endorsed: 3, objected: 1) == .rejected)
        let majority = OutcomeEndorsementRules(rule: "DEC-004-01", threshold: .majority, source: "")
        #expect(majority.status(members: 4, endorsed: 3, objected: 1) == .stands)
        #expect(majority.status(members: 4, endorsed: 1, objected: 2) == .rejected)
        #expect(majority.status(members: 4, endorsed: 2, objected: 1) == .awaiting)
        #expect(Packs.bradford.outcomeEndorsement == nil)
    }
}
