import ConveneCore
import ConveneTestSupport
import Foundation
import Testing

/// The performance figures (issue 13, OVS-ALL-01) on a month worked out by hand: Bradford,
/// May 2026, whose early May (4th) and spring (25th) bank holidays fall inside the ICPC's 15
/// working days. Asked on 1 June 2026.
///
/// - A: standard request Fri 1 May 10:00 BST, held 15:00 (5 h, on time), s47 joint; minutes
///   out next day (on time); ICPC Tue 26 May — the 15th working day once both bank holidays are
///   skipped, so on time. Police and education attend, health sends apologies; quorate.
///   Actions: police, due 10 May, done 9 May (on time); health, due 20 May, not done (overdue).
/// - B: standard request Mon 11 May 10:00, held Tue 12 May 16:00 (30 h: late, reason recorded),
///   no s47; minutes after 42 h (late, no reason). Police absent, health attends; not quorate.
/// - C: immediate request Mon 18 May 09:00, held 12:00 (3 h: late, no reason), decision
///   deferred to Fri 22 May; no review held by 1 June (deferred too long). Police attend; quorate.
/// - D: request Wed 20 May, declined the same day.
/// - E: April: a standard request held 3 h later, on time (the trend's earlier month).
@Suite("Oversight figures")
struct OversightFiguresTests {
    static let org = UUID()
    static let team = UUID()
    static let otherTeam = UUID()
    static let asOf = at("2026-06-01T11:00:00Z")
    static let may = OversightPeriod.containing(day("2026-05-14"), kind: .month)

    struct Fixture {
        var cases: [OversightCase] = []
        var ids: [String: UUID] = [:]

        mutating func add(_ name: String, team: UUID = OversightFiguresTests.team, urgency: Urgency = .standard,
                          requested: String, decided: String? = nil, declined: Bool = false, held: String? = nil,
                          outcome: DiscussionOutcome? = nil, furtherBy: String? = nil, circulated: String? = nil,
                          quorate: Bool? = nil, attendance: [(String, AttendanceMode)] = [], actions: [SmartAction] = [],
                          caseEvents: [TimelineEvent] = [], lateReasons: Set<LateReasonKey> = []) {
            let id = UUID(), child = UUID()
            ids[name] = id
            var decision = ChildDecision()
            decision.outcome = outcome
            decision.furtherDiscussionBy = furtherBy.map(day)
            var events: [TimelineEvent] = [.concernReceived(at: at(requested)),
                                           .requestMade(at: at(requested), urgency: urgency, agreedDue: nil, rationale: nil)]
            if declined { events.append(.requestDeclined(at: at(decided!))) }
            if let held {
                events.append(.discussionHeld(HeldDiscussion(
                    id: "d1", at: at(held), outcome: outcome,
                    furtherDiscussionBy: furtherBy.map { EuropeLondon.endOfDay(day($0)) })))
            }
            if let circulated { events.append(.minutesCirculated(at: at(circulated), discussion: "d1")) }
            let stage: DiscussionStage = declined ? .declined : held == nil ? .awaitingBooking : circulated == nil ? .inMeeting : .circulated
            let discussion = OversightDiscussion(
                id: id, key: "d1", organisationID: OversightFiguresTests.org, teamID: team, reference: "SD-\(name)",
                sequence: 1, stage: stage, urgency: urgency, requestedAt: at(requested), decidedAt: (decided ?? held).map(at),
                startedAt: held.map(at),
                quoracy: quorate.map { QuoracyCheck(quorate: $0, urgentException: false, missing: [], checkedAt: at(held!)) },
                attendance: attendance.map { AttendanceEntry(name: "someone", agency: $0.0, mode: $0.1) },
                children: [child], decisions: held == nil ? [:] : [child: decision], actions: actions)
            cases.append(OversightCase(caseID: UUID(), caseReference: "SD-\(name)", timeline: Timeline(events: events + caseEvents),
                                       lateReasons: lateReasons, discussions: [discussion]))
        }

        var facts: [DiscussionFacts] {
            cases.flatMap { $0.facts(pack: Packs.bradford, asOf: OversightFiguresTests.asOf) }
        }
    }

    static let fixture: Fixture = {
        var f = Fixture()
        f.add("A", requested: "2026-05-01T09:00:00Z", held: "2026-05-01T14:00:00Z", outcome: .s47Joint,
              circulated: "2026-05-02T10:00:00Z", quorate: true,
              attendance: [("police", .inPerson), ("health", .apologies), ("education", .virtual)],
              actions: [SmartAction(what: "Visit", owner: "PC Ray", agency: "police", due: day("2026-05-10"), purpose: "p",
                                    review: "r", status: .done, completedAt: at("2026-05-09T10:00:00Z")),
                        SmartAction(what: "Medical", owner: "Nurse Lee", agency: "health", due: day("2026-05-20"), purpose: "p",
                                    review: "r")],
              caseEvents: [.icpcHeld(at: at("2026-05-26T09:00:00Z"))])
        f.add("B", requested: "2026-05-11T09:00:00Z", held: "2026-05-12T15:00:00Z", outcome: .noS47ThresholdNotMet,
              circulated: "2026-05-14T09:00:00Z", quorate: false, attendance: [("police", .absent), ("health", .phone)],
              lateReasons: [LateReasonKey(duty: .strategyDiscussion, discussion: nil)])
        f.add("C", urgency: .immediate, requested: "2026-05-18T08:00:00Z", held: "2026-05-18T11:00:00Z", outcome: .deferred,
              furtherBy: "2026-05-22", circulated: "2026-05-18T16:00:00Z", quorate: true, attendance: [("police", .inPerson)])
        f.add("D", requested: "2026-05-20T08:00:00Z", decided: "2026-05-20T11:00:00Z", declined: true)
        f.add("E", team: otherTeam, requested: "2026-04-20T08:00:00Z", held: "2026-04-20T11:00:00Z",
              outcome: .noS47Marginal, circulated: "2026-04-20T15:00:00Z", quorate: true)
        return f
    }()

    static let figures = OversightFigures(facts: fixture.facts, period: may, filter: OversightFilter(), asOf: asOf)

    func m(_ key: String) throws -> Measure {
        try #require(Self.figures.measure(key), "no measure \(key)")
    }

    func ids(_ names: String...) -> Set<UUID> {
        Set(names.map { Self.fixture.ids[$0]! })
    }

    @Test("OVS-ALL-01: the month runs from 1 to 31 May in London, the trend compares April")
    func period() {
        #expect(Self.may.start == at("2026-04-30T23:00:00Z"))
        #expect(Self.may.end == at("2026-05-31T23:00:00Z"))
        #expect(Self.may.previous == OversightPeriod(kind: .month, first: day("2026-04-01"), last: day("2026-04-30")))
        #expect(OversightPeriod.containing(day("2026-05-14"), kind: .quarter).first == day("2026-04-01"))
        #expect(OversightPeriod.containing(day("2026-05-14"), kind: .week).first == day("2026-05-11"))
        let weeks = Self.may.trendWeeks
        #expect(weeks.count == 52)
        #expect(weeks.last?.first == day("2026-05-25"))
    }

    @Test("OVS-ALL-01: requests made, convened and declined; discussions held")
    func requests() throws {
        #expect(try m("requests-made").count == 4)
        #expect(try m("convened").count == 3)
        #expect(try m("convened").percentage == 75)
        #expect(try m("declined").count == 1)
        #expect(try m("declined").percentage == 25)
        #expect(Set(try m("declined").discussions) == ids("D"))
        #expect(try m("held").count == 3)
        #expect(try m("held").previousCount == 1)
        #expect(try m("held").trend == .up)
    }

    @Test("OVS-ALL-01: held within timescale by the engine's status; late split by whether a reason was recorded")
    func timeliness() throws {
        let onTime = try m("held-on-time")
        #expect(onTime.count == 1 && onTime.base == 3 && onTime.percentage == 33)
        #expect(Set(onTime.discussions) == ids("A"))
        #expect(onTime.previousPercentage == 100)
        #expect(onTime.trend == .down)
        #expect(Set(try m("held-late-with-reason").discussions) == ids("B"))
        #expect(Set(try m("held-late-without-reason").discussions) == ids("C"))
    }

    @Test("OVS-ALL-01: request to meeting, nearest-rank median 5 hours and 90th percentile 30 hours")
    func requestToMeeting() {
        let r = Self.figures.requestToMeeting
        #expect(r.count == 3)
        #expect(r.median == TimeInterval(5 * 3600))
        #expect(r.percentile90 == TimeInterval(30 * 3600))
        #expect(Self.figures.previousRequestToMeeting.median == TimeInterval(3 * 3600))
    }

    @Test("OVS-ALL-01: quoracy, attendance by agency and apologies")
    func attendance() throws {
        #expect(try m("quorate").count == 2 && m("quorate").percentage == 67)
        let police = try m("attended.police")
        #expect(police.count == 2 && police.base == 3)
        #expect(Set(police.discussions) == ids("A", "C"))
        #expect(try m("attended.health").count == 1 && m("attended.health").base == 2)
        #expect(try m("apologies.health").count == 1)
        #expect(try m("attended.education").percentage == 100)
        #expect(Set(try m("apologies").discussions) == ids("A"))
        #expect(try m("apologies").base == 3)
    }

    @Test("OVS-ALL-01: minutes circulated on time; ICPC on time only because both May bank holidays are skipped")
    func duties() throws {
        let minutes = try m("minutes-circulated-on-time")
        #expect(minutes.count == 2 && minutes.base == 3)
        #expect(Set(minutes.discussions) == ids("A", "C"))
        let a = try #require(Self.fixture.facts.first { $0.reference == "SD-A" })
        let icpc = try #require(a.duty(.icpc))
        #expect(icpc.due == at("2026-05-26T22:59:59Z"))
        #expect(icpc.timeliness == .onTime)
        #expect(try m("icpc-on-time").count == 1 && m("icpc-on-time").percentage == 100)
        let review = try m("review-on-time")
        #expect(review.count == 0 && review.base == 1)
    }

    @Test("OVS-ALL-01: outcomes per child, and a deferred decision past its date")
    func outcomes() throws {
        #expect(try m("outcome.s47-joint").count == 1)
        #expect(try m("outcome.s47-joint").base == 3)
        #expect(try m("outcome.deferred").count == 1)
        #expect(try m("outcome.no-s47-threshold-not-met").count == 1)
        #expect(try m("outcome.no-s47-marginal").count == 0)
        let c = try #require(Self.fixture.facts.first { $0.reference == "SD-C" })
        #expect(c.deferredSince == at("2026-05-18T11:00:00Z"))
        #expect(c.deferredDue == at("2026-05-22T22:59:59Z"))
        #expect(Set(try m("deferred-too-long").discussions) == ids("C"))
    }

    @Test("OVS-ALL-01: actions due in May, done on time and overdue by agency")
    func actions() throws {
        #expect(try m("actions-on-time").count == 1 && m("actions-on-time").base == 2)
        #expect(try m("actions-overdue").count == 1)
        #expect(try m("actions-overdue.health").count == 1)
        #expect(try m("actions-overdue.health").base == 1)
        #expect(Self.figures.measure("actions-overdue.police") == nil)
    }

    @Test("OVS-ALL-01: filters by team and urgency; a partner agency sees its own attendance and actions only")
    func filters() throws {
        let other = OversightFigures(facts: Self.fixture.facts, period: Self.may.previous,
                                     filter: OversightFilter(team: Self.otherTeam), asOf: Self.asOf)
        #expect(other.measure("held")?.count == 1)
        let immediate = OversightFigures(facts: Self.fixture.facts, period: Self.may,
                                         filter: OversightFilter(urgency: .immediate), asOf: Self.asOf)
        #expect(immediate.measure("held")?.count == 1)
        #expect(immediate.measure("held-late-without-reason")?.count == 1)
        let health = OversightFigures(facts: Self.fixture.facts, period: Self.may,
                                      filter: OversightFilter(agency: "health"), asOf: Self.asOf)
        #expect(health.measure("held") == nil)
        #expect(health.measures.map(\.key) == ["attended.health", "apologies.health", "actions-on-time", "actions-overdue",
                                               "actions-overdue.health"])
        #expect(health.measure("actions-on-time")?.base == 1)
    }

    @Test("OVS-ALL-01: facts written while a duty was due read as late once its deadline passes, as the engine would say")
    func staleDue() throws {
        var f = Fixture()
        f.add("F", requested: "2026-05-04T09:00:00Z")
        let written = try #require(f.cases[0].facts(pack: Packs.bradford, asOf: at("2026-05-04T10:00:00Z")).first)
        let convening = try #require(written.convening)
        #expect(convening.timeliness == .due)
        #expect(convening.timeliness(at: at("2026-05-05T09:00:00Z")) == .due)
        #expect(convening.timeliness(at: at("2026-05-05T09:00:01Z")) == .lateWithoutReason)
        let engine = try #require(f.cases[0].facts(pack: Packs.bradford, asOf: at("2026-05-05T09:00:01Z")).first?.convening)
        #expect(engine.timeliness == .lateWithoutReason)
    }

    @Test("OVS-ALL-01: the weekly trend counts each discussion in the week it was held")
    func weeks() {
        let weeks = Self.figures.weeks
        let week = { (monday: String) in weeks.first { $0.week.first == day(monday) } }
        #expect(week("2026-04-27")?.held == 1)
        #expect(week("2026-04-27")?.onTime == 1)
        #expect(week("2026-05-11")?.held == 1)
        #expect(week("2026-05-11")?.onTime == 0)
        #expect(week("2026-04-20")?.held == 1)
        #expect(weeks.map(\.held).reduce(0, +) == 4)
    }

    @Test("Exports: one row per discussion and duty; the inspection list leaves gender blank")
    func exports() throws {
        let facts = Self.fixture.facts.filter { $0.reference == "SD-A" || $0.reference == "SD-D" }
        let rows = OversightExport.duties(facts, teamName: { _ in "North" }, asOf: Self.asOf)
        #expect(rows[0].first == "Reference")
        let a = rows.filter { $0[0] == "SD-A" }
        #expect(a.map { $0[9] } == ["Strategy discussion held", "Minutes circulated", "Initial child protection conference held"])
        #expect(a[0][5] == "2026-05-01 10:00" && a[0][7] == "2026-05-01 15:00")
        #expect(a[2][12] == "2026-05-26 23:59" && a[2][14] == "On time")
        #expect(rows.filter { $0[0] == "SD-D" }.map { $0[14] } == ["Not convened"])
        let actions = OversightExport.actions(facts, teamName: { _ in "North" }, asOf: Self.asOf)
        #expect(actions.count == 3)
        #expect(actions[2][3] == "Health" && actions[2][8] == "Yes")
        let a0 = try #require(Self.fixture.facts.first { $0.reference == "SD-A" })
        var child = ChildDetails(name: "Ann", dateOfBirth: day("2016-05-02"), caseNumber: "C123")
        child.ethnicity = "White British"
        let list = OversightExport.inspection([a0], children: [a0.outcomes[0].childID: child])
        #expect(list[0] == OversightExport.inspectionHeader)
        #expect(list[1] == ["C123", "9", "", "White British", "", "2026-05-01", "2026-05-01", "Section 47, joint with police",
                            "2026-05-26"])
    }
}
