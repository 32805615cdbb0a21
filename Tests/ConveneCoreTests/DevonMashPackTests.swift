import ConveneCore
import ConveneTestSupport
import Testing

/// Pack `devon-mash` (seed 003).
@Suite("Devon MASH pack")
struct DevonMashPackTests {
    let pack = Packs.devonMash

    @Test("ACT-003-01: the summary of agreed actions within 1 hour, counted in elapsed time over the spring change")
    func actionSummary() throws {
        let events = [Event.discussion("d1", "2026-03-29T00:30:00Z"), Event.actionSummary("d1", "2026-03-29T01:20:00Z")]
        let s = try #require(pack.duties(events, asOf: "2026-03-29T03:00:00Z").duty(.actionSummary, discussion: "d1"))
        #expect(s.due == at("2026-03-29T01:30:00Z"))
        #expect(s.status == .met)
        #expect(s.rule == "ACT-003-01")
    }

    @Test("ACT-003-01: no summary an hour and a minute after the meeting is missed")
    func actionSummaryLate() {
        let s = pack.duties([Event.discussion("d1", "2026-11-23T10:00:00Z")], asOf: "2026-11-23T11:01:00Z")
            .duty(.actionSummary, discussion: "d1")
        #expect(s?.status == .missed)
    }

    @Test("REC-003-01: minutes and plan of enquiry authorised within 24 hours, Christmas Day included")
    func minutesAuthorised() throws {
        let events = [Event.discussion("d1", "2026-12-24T15:00:00Z"), Event.minutesAuthorised("d1", "2026-12-25T14:00:00Z")]
        let m = try #require(pack.duties(events, asOf: "2026-12-26T00:00:00Z").duty(.minutesAuthorisation, discussion: "d1"))
        #expect(m.due == at("2026-12-25T15:00:00Z"))
        #expect(m.status == .met)
    }

    @Test("Each discussion owes its own summary and authorisation")
    func perDiscussion() {
        let events = [Event.discussion("d1", "2026-11-23T10:00:00Z"), Event.discussion("d2", "2026-11-30T10:00:00Z"),
                      Event.actionSummary("d1", "2026-11-23T10:30:00Z")]
        let duties = pack.duties(events, asOf: "2026-11-30T12:00:00Z")
        #expect(duties.duty(.actionSummary, discussion: "d1")?.status == .met)
        #expect(duties.duty(.actionSummary, discussion: "d2")?.status == .missed)
        #expect(duties.filter { $0.duty == .minutesAuthorisation }.count == 2)
    }

    @Test("Devon sets no timescale for convening, circulation or an ICPC: those duties are absent")
    func absent() {
        let events = [Event.concern("2026-11-23T09:00:00Z"), Event.discussion("d1", "2026-11-23T10:00:00Z", outcome: .s47Joint)]
        let duties = Set(pack.duties(events, asOf: "2026-11-23T12:00:00Z").map(\.duty))
        #expect(duties == [.actionSummary, .minutesAuthorisation])
    }

    @Test("ATT-ALL-01 and ATT-ALL-02: MASH team manager chairs; an assistant team manager from the IRT counts for the area team")
    func attendance() {
        let present = attendees("childrens-social-care:team-manager", "childrens-social-care:assistant-team-manager", "police", "health")
        let answer = pack.attendance(attendees: present)
        #expect(answer.quorate)
        #expect(answer.chairPresent)
        // Education is one of the four key MASH agencies: required (invited by default), not a quorum member.
        #expect(answer.required.contains { $0.requirement.agency == "education" && !$0.requirement.quorum })
        #expect(!pack.attendance(urgent: true, attendees: Array(present.prefix(3))).quorate)
    }

    @Test("SLOT-ALL-01: office-hours times in the MASH; the next working day after a Friday-evening request")
    func slots() throws {
        let offer = try pack.slot(requestedAt: "2026-11-20T17:30:00Z")
        #expect(offer.start == at("2026-11-23T09:00:00Z"))
        #expect(offer.rule == "SLOT-ALL-01")
    }
}

/// Issue 16: pack data that differed from the seed text.
extension DevonMashPackTests {
    @Test("ATT-ALL-01 (seed 003): the MASH manager and a second team manager from the area team, police and health are quorate")
    func secondTeamManager() {
        let present = attendees("childrens-social-care:team-manager", "childrens-social-care:team-manager", "police", "health")
        let answer = pack.attendance(attendees: present)
        #expect(answer.quorate)
        #expect(answer.chairPresent)
        let alone = attendees("childrens-social-care:team-manager", "police", "health")
        let single = pack.attendance(attendees: alone)
        #expect(!single.quorate)
        #expect(single.missing.filter(\.requirement.quorum).map(\.requirement.roles)
            == [["team-manager", "assistant-team-manager", "social-worker"]])
    }

    @Test("ATT-ALL-01 (seed 003): education, a key MASH agency, is invited by default and does not block quoracy")
    func educationByDefault() {
        let present = attendees("childrens-social-care:team-manager", "childrens-social-care:social-worker", "police", "health")
        let answer = pack.attendance(attendees: present)
        #expect(answer.quorate)
        #expect(answer.missing.map(\.requirement.agency) == ["education"])
        #expect(answer.required.contains { $0.requirement.agency == "education" && !$0.requirement.quorum })
    }
}

/// Issue 16: REQ-003-01, which team a child's case goes to.
extension DevonMashPackTests {
    static let teams = [TeamRouting.Team(id: "exeter-irt", name: "Exeter IRT", areas: ["Exeter", "Crediton"]),
                        TeamRouting.Team(id: "torridge-irt", name: "Torridge IRT", areas: ["Torridge"])]

    @Test("REQ-003-01: a child closed 8 weeks ago to the day goes back to the previous team; 8 weeks and a day does not")
    func previousTeamWithinEightWeeks() throws {
        let routing = try #require(pack.routing)
        let previous = Self.teams[1]
        let within = try #require(routing.atRequest(closedOn: day("2026-11-19"), previousTeam: previous, requestedOn: day("2027-01-14")))
        #expect(within.teamID == "torridge-irt")
        #expect(within.reason.contains("REQ-003-01"))
        #expect(routing.atRequest(closedOn: day("2026-11-18"), previousTeam: previous, requestedOn: day("2027-01-14")) == nil)
        #expect(routing.atRequest(closedOn: nil, previousTeam: previous, requestedOn: day("2027-01-14")) == nil)
        #expect(Packs.bradford.routing == nil)
    }

    @Test("REQ-003-01: after an s47 decision the area team where the child lives takes it, else where the harm happened")
    func areaTeamAfterS47() throws {
        let routing = try #require(pack.routing)
        #expect(routing.afterS47(childArea: " torridge ", harmArea: "", teams: Self.teams)?.teamID == "torridge-irt")
        let elsewhere = try #require(routing.afterS47(childArea: "Cornwall", harmArea: "Crediton", teams: Self.teams))
        #expect(elsewhere.teamID == "exeter-irt")
        #expect(elsewhere.reason.contains("the harm happened in Crediton"))
        #expect(routing.afterS47(childArea: "Cornwall", harmArea: "Plymouth", teams: Self.teams) == nil)
    }
}
