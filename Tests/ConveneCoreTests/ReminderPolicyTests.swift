import ConveneCore
import ConveneTestSupport
import Foundation
import Testing

/// Reminders and escalations (issue 11) from the timescale engine's duties, with a pinned
/// clock: who is told what, and when, across a weekend, a bank holiday and a clock change,
/// and never twice.
@Suite("Reminder policy")
struct ReminderPolicyTests {
    let policy = ReminderPolicy()
    let caseID = UUID(uuidString: "00000000-0000-0000-0000-00000000c0de")!
    let chair = UUID(uuidString: "00000000-0000-0000-0000-0000000000c1")!
    let minuteTaker = UUID(uuidString: "00000000-0000-0000-0000-0000000000a1")!
    let socialWorker = UUID(uuidString: "00000000-0000-0000-0000-0000000000b1")!
    let owner = UUID(uuidString: "00000000-0000-0000-0000-0000000000d1")!

    func facts(_ pack: ProcedurePack, _ events: [TimelineEvent], asOf: String, booked: Set<DutyReference> = [],
               people: DiscussionPeople? = nil) -> CaseReminderFacts {
        CaseReminderFacts(caseID: caseID, reference: "SD-2026-0042", duties: pack.duties(events, asOf: asOf),
                          socialWorker: socialWorker, discussions: people.map { ["d1": $0] } ?? [:], booked: booked)
    }

    /// What a scheduler running every `step` seconds from `start` to `end` sends, keeping the
    /// keys it sent: (when, key, audience).
    func run(from start: String, to end: String, step: TimeInterval = 900,
             _ reminders: (Date) -> [Reminder]) -> [(at: Date, key: String, audience: [ReminderAudience])] {
        var sent: Set<String> = []
        var log: [(Date, String, [ReminderAudience])] = []
        var now = at(start)
        while now <= at(end) {
            for r in reminders(now) where !sent.contains(r.key) {
                sent.insert(r.key)
                log.append((now, r.key, r.audience))
            }
            now = now.addingTimeInterval(step)
        }
        return log
    }

    // MARK: Not yet booked

    @Test("TIME-001-01: a 24-hour request made Friday 16:00 and not booked: minute takers and the team manager are told Saturday at noon, the service managers too at 16:00:01 (the clock does not stop for the weekend)")
    func unbookedOverWeekend() {
        let events = [Event.request("2026-11-20T16:00:00Z")]
        let planned = policy.plan(facts(Packs.bradford, events, asOf: "2026-11-20T16:00:00Z"))
        #expect(planned.map(\.threshold) == [.approaching, .overdue])
        #expect(planned[0].at == at("2026-11-21T12:00:00Z"))
        #expect(planned[0].audience == [.role(.teamManager), .role(.minuteTaker)])
        #expect(planned[0].kind == .bookingReminder)
        #expect(planned[0].rule == "TIME-001-01")
        #expect(planned[1].at == at("2026-11-21T16:00:01Z"))
        #expect(planned[1].audience == [.role(.teamManager), .role(.serviceManager), .role(.minuteTaker)])

        let log = run(from: "2026-11-20T16:00:00Z", to: "2026-11-23T12:00:00Z") { now in
            policy.due(facts(Packs.bradford, events, asOf: RFC3339.format(now)), now: now)
        }
        #expect(log.map(\.at) == [at("2026-11-21T12:00:00Z"), at("2026-11-21T16:15:00Z")])
        #expect(log.map(\.key) == ["duty/\(caseID.uuidString.lowercased())/strategy-discussion/case/approaching",
                                   "duty/\(caseID.uuidString.lowercased())/strategy-discussion/case/overdue"])
    }

    @Test("A booked discussion needs no booking reminder")
    func bookedIsQuiet() {
        let f = facts(Packs.bradford, [Event.request("2026-11-20T16:00:00Z")], asOf: "2026-11-21T17:00:00Z",
                      booked: [DutyReference(.strategyDiscussion)])
        #expect(policy.plan(f).isEmpty)
    }

    @Test("TIME-001-01 and INT-ALL-01: a 2-hour request at 01:30 BST on the night the clocks go back is approaching at 02:00 GMT (half an hour before) and overdue after 02:30 GMT")
    func immediateAcrossClockChange() {
        let planned = policy.plan(facts(Packs.bradford, [Event.request("2026-10-25T00:30:00Z", .immediate)],
                                        asOf: "2026-10-25T00:30:00Z"))
        #expect(planned.map(\.threshold) == [.approaching, .overdue])
        #expect(planned.map(\.at) == [at("2026-10-25T02:00:00Z"), at("2026-10-25T02:30:01Z")])
    }

    // MARK: Minutes and action summary

    @Test("REC-002-01: Hertfordshire minutes of a Friday discussion before the spring bank holiday are due end of Tuesday; chair and minute taker told Tuesday 09:00 BST, overdue Wednesday 09:00 BST, nothing on the bank holiday")
    func minutesOverBankHoliday() {
        let people = DiscussionPeople(chair: chair, minuteTaker: minuteTaker)
        let events = [Event.request("2026-05-22T08:00:00Z"), Event.discussion("d1", "2026-05-22T13:00:00Z")]
        let f = facts(Packs.hertfordshire, events, asOf: "2026-05-22T13:00:00Z", people: people)
        let minutes = policy.plan(f).filter { $0.subject == .duty(caseID: caseID, duty: .minutesCirculation, discussion: "d1") }
        #expect(minutes.map(\.threshold) == [.due, .overdue])
        #expect(minutes.map(\.deadline) == [at("2026-05-26T22:59:59Z"), at("2026-05-26T22:59:59Z")])
        #expect(minutes.map(\.at) == [at("2026-05-26T08:00:00Z"), at("2026-05-27T08:00:00Z")])
        #expect(minutes.allSatisfy { Set($0.audience) == [.person(chair), .person(minuteTaker)] && $0.kind == .recordReminder })
        // Circulated on Tuesday afternoon: no overdue reminder.
        let done = facts(Packs.hertfordshire, events + [Event.minutesCirculated("d1", "2026-05-26T14:00:00Z")],
                         asOf: "2026-05-27T08:00:00Z", people: people)
        #expect(policy.due(done, now: at("2026-05-27T08:00:00Z"))
            .allSatisfy { $0.subject != .duty(caseID: caseID, duty: .minutesCirculation, discussion: "d1") })
    }

    @Test("ACT-003-01: Devon's action summary within 1 hour: chair and minute taker told 15 minutes before, and when it passes")
    func actionSummaryHour() {
        let people = DiscussionPeople(chair: chair, minuteTaker: minuteTaker)
        let events = [Event.request("2026-11-23T09:00:00Z"), Event.discussion("d1", "2026-11-23T10:00:00Z")]
        let summary = policy.plan(facts(Packs.devonMash, events, asOf: "2026-11-23T10:00:00Z", people: people))
            .filter { $0.subject == .duty(caseID: caseID, duty: .actionSummary, discussion: "d1") }
        #expect(summary.map(\.at) == [at("2026-11-23T10:45:00Z"), at("2026-11-23T11:00:01Z")])
        #expect(summary.allSatisfy { Set($0.audience) == [.person(chair), .person(minuteTaker)] })
    }

    // MARK: Section 47, ICPC

    @Test("TIME-004-03: a North Yorkshire s47 decided Thursday 22 October (BST) is due end of Thursday 29 October (GMT): the social worker and team manager told Wednesday and Thursday at 09:00 GMT, the service managers too on Friday")
    func s47AcrossClockChange() {
        let events = [Event.request("2026-10-22T08:00:00Z"), Event.discussion("d1", "2026-10-22T09:00:00Z", outcome: .s47Joint)]
        let s47 = policy.plan(facts(Packs.northYorkshire, events, asOf: "2026-10-22T09:00:00Z"))
            .filter { $0.subject == .duty(caseID: caseID, duty: .s47Completion, discussion: nil) }
        #expect(s47.map(\.threshold) == [.approaching, .due, .overdue])
        #expect(s47.map(\.at) == [at("2026-10-28T09:00:00Z"), at("2026-10-29T09:00:00Z"), at("2026-10-30T09:00:00Z")])
        #expect(s47[0].audience == [.person(socialWorker), .role(.teamManager)])
        #expect(s47[2].audience == [.person(socialWorker), .role(.teamManager), .role(.serviceManager)])
        #expect(s47[0].kind == .enquiryReminder)
    }

    @Test("TIME-ALL-01: Hertfordshire's ICPC within 15 working days over Christmas; the review discussion (TIME-002-04) to its chair and the minute takers until booked")
    func icpcAndReviewOverChristmas() {
        let people = DiscussionPeople(chair: chair, minuteTaker: minuteTaker)
        let events = [Event.request("2026-12-14T09:00:00Z"), Event.discussion("d1", "2026-12-14T10:00:00Z", outcome: .s47Joint)]
        let f = facts(Packs.hertfordshire, events, asOf: "2026-12-14T10:00:00Z", people: people)
        let icpc = policy.plan(f).filter { $0.subject == .duty(caseID: caseID, duty: .icpc, discussion: nil) }
        // 15 working days after Monday 14 December, skipping 25, 28 December and 1 January: Thursday 7 January.
        #expect(icpc.first?.deadline == at("2027-01-07T23:59:59Z"))
        #expect(icpc.map(\.at) == [at("2027-01-06T09:00:00Z"), at("2027-01-07T09:00:00Z"), at("2027-01-08T09:00:00Z")])
        let review = policy.plan(f).filter { $0.subject == .duty(caseID: caseID, duty: .reviewDiscussion, discussion: "d1") }
        #expect(Set(review.first?.audience ?? []) == [.person(chair), .role(.minuteTaker)])
        let booked = facts(Packs.hertfordshire, events, asOf: "2026-12-14T10:00:00Z",
                           booked: [DutyReference(.reviewDiscussion, discussion: "d1")], people: people)
        #expect(policy.plan(booked).allSatisfy { $0.subject != .duty(caseID: caseID, duty: .reviewDiscussion, discussion: "d1") })
    }

    // MARK: Actions (ACT-ALL-03)

    @Test("ACT-ALL-03: an action due Tuesday after the spring bank holiday: its owner is told Friday 09:00 BST, overdue Wednesday, then the chair Thursday")
    func actionOverBankHoliday() {
        let action = SmartAction(what: "Visit", owner: "Sam", ownerPersonID: owner, agency: "police", due: day("2026-05-26"),
                                 purpose: "p", review: "r")
        let facts = ActionReminderFacts(action: action, reference: "SD-2026-0042", chair: chair)
        let log = run(from: "2026-05-21T00:00:00Z", to: "2026-06-01T00:00:00Z") { policy.due(facts, now: $0) }
        #expect(log.map(\.at) == [at("2026-05-22T08:00:00Z"), at("2026-05-27T08:00:00Z"), at("2026-05-28T08:00:00Z")])
        #expect(log.map(\.audience) == [[.person(owner)], [.person(owner)], [.person(chair)]])
        #expect(log.map(\.key) == ["approaching", "overdue", "escalated"].map { "action/\(action.id.uuidString.lowercased())/\($0)" })
    }

    @Test("ACT-ALL-03: an owner without an account: the chair hears when it is overdue; a done action is quiet")
    func actionWithoutOwnerAccount() {
        var action = SmartAction(what: "Visit", owner: "A school", agency: "education", due: day("2026-11-27"), purpose: "p", review: "r")
        let planned = policy.plan(ActionReminderFacts(action: action, reference: "SD-2026-0042", chair: chair))
        #expect(planned.map(\.threshold) == [.overdue, .escalated])
        #expect(planned.map(\.at) == [at("2026-11-30T09:00:00Z"), at("2026-12-01T09:00:00Z")])
        action.status = .done
        #expect(policy.plan(ActionReminderFacts(action: action, reference: "SD-2026-0042", chair: chair)).isEmpty)
    }

    // MARK: Disclosure (REC-ALL-02)

    @Test("REC-ALL-02: a disclosure request waiting over a working day goes to the service managers: Friday 15:00 → Monday 15:00; Christmas Eve 16:00 → Tuesday 29 December 16:00; Saturday → Tuesday 09:00")
    func disclosureWaiting() {
        func when(_ t: String) -> Date? {
            policy.plan(DisclosureReminderFacts(id: UUID(), reference: "SD-2026-0042", requestedAt: at(t), decided: false)).first?.at
        }
        #expect(when("2026-11-27T15:00:00Z") == at("2026-11-30T15:00:00Z"))
        #expect(when("2026-12-24T16:00:00Z") == at("2026-12-29T16:00:00Z"))
        #expect(when("2026-11-28T10:00:00Z") == at("2026-12-01T09:00:00Z"))
        let decided = DisclosureReminderFacts(id: UUID(), reference: "SD-2026-0042", requestedAt: at("2026-11-27T15:00:00Z"), decided: true)
        #expect(policy.plan(decided).isEmpty)
        let r = policy.plan(DisclosureReminderFacts(id: UUID(), reference: "SD-2026-0042", requestedAt: at("2026-11-27T15:00:00Z"), decided: false))
        #expect(r.first?.audience == [.role(.serviceManager)])
    }

    // MARK: Once, and not stale

    @Test("A later threshold supersedes an earlier one not yet sent; a threshold a week old is not sent")
    func supersededAndStale() {
        let events = [Event.request("2026-11-20T16:00:00Z")]
        let f = facts(Packs.bradford, events, asOf: "2026-11-22T10:00:00Z")
        #expect(policy.due(f, now: at("2026-11-22T10:00:00Z")).map(\.threshold) == [.overdue])
        #expect(policy.due(f, now: at("2026-11-29T10:00:00Z")).isEmpty)
    }
}

/// Each person's choices per kind of notice, and when digests go.
@Suite("Notification preferences")
struct NotificationPreferencesTests {
    @Test("Statutory notices cannot be switched off or held for a digest; the error names the field")
    func statutory() throws {
        var p = NotificationPreferences()
        #expect(throws: InputError(field: "preferences.invitation",
                                   "Invitations to a discussion are required by the procedure and are always sent at once")) {
            try p.set(.invitation, to: .off)
        }
        try p.set(.actionReminder, to: .dailyDigest)
        try p.set(.bookingReminder, to: .off)
        #expect(p.delivery(for: .actionReminder) == .dailyDigest)
        #expect(p.delivery(for: .bookingReminder) == .off)
        #expect(p.delivery(for: .invitation) == .immediately)
        #expect(p.delivery(for: .recordReminder) == .immediately)
        // Even a stored choice for a statutory kind is ignored.
        #expect(NotificationPreferences([.minutes: .off]).delivery(for: .minutes) == .immediately)
        #expect(!NoticeKind.choosable.contains(.cancellation))
    }

    @Test("The form is read whole: every bad field is named")
    func parse() throws {
        let good = try NotificationPreferences.parse(["action-reminder": "off", "digest": "immediately"])
        #expect(good.delivery(for: .actionReminder) == .off)
        do {
            _ = try NotificationPreferences.parse(["action-reminder": "sometimes", "minutes": "off", "fax": "off"])
            Issue.record("bad fields were accepted")
        } catch {
            #expect(error.errors.map(\.field.description) == ["preferences.action-reminder", "preferences.fax", "preferences.minutes"])
        }
    }

    @Test("Digests go at 09:00 London on working days: Friday afternoon → Monday; before the spring bank holiday → Tuesday; 09:00 BST is 08:00 UTC")
    func digestSchedule() {
        let s = DigestSchedule()
        #expect(s.next(after: at("2026-11-27T14:00:00Z")) == at("2026-11-30T09:00:00Z"))
        #expect(s.next(after: at("2026-11-30T08:59:59Z")) == at("2026-11-30T09:00:00Z"))
        #expect(s.next(after: at("2026-11-30T09:00:00Z")) == at("2026-12-01T09:00:00Z"))
        #expect(s.next(after: at("2026-05-22T09:00:00Z")) == at("2026-05-26T08:00:00Z"))
        // The weekend the clocks go forward: Friday GMT, Monday BST.
        #expect(s.next(after: at("2026-03-27T10:00:00Z")) == at("2026-03-30T08:00:00Z"))
    }
}
