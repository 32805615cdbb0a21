import ConveneCore
import ConveneStore
import ConveneTestSupport
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Takes discussions through the lifecycle as the right people, through the real pages.
extension TestWorld {
    /// A complete, valid request form for one child (REQ-001-01).
    func requestFields(urgency: String = "standard", concerns: [String] = ["injury"], childName: String = "Amira Khan",
                       extra: [(String, String)] = []) -> [(String, String)] {
        let now = EuropeLondon.local(clock.now)
        let time = RFC3339.pad2(now.secondsIntoDay / 3600) + ":" + RFC3339.pad2(now.secondsIntoDay / 60 % 60)
        var fields: [(String, String)] = [
            ("rows.children", "1"), ("rows.parentsCarers", "1"), ("urgency", urgency), ("caseType", "new-referral"),
            ("concernReceivedAt.day", String(now.date.day)), ("concernReceivedAt.month", String(now.date.month)),
            ("concernReceivedAt.year", String(now.date.year)), ("concernReceivedAt.time", time),
            ("team", teamID.slug), ("locality", "North"), ("allocatedSocialWorker", "Sam Okafor"),
            ("teamManager", "Tara Whitfield"), ("serviceManager", "Sara Lindqvist"),
            ("children[0].name", childName), ("children[0].dateOfBirth.day", "14"), ("children[0].dateOfBirth.month", "3"),
            ("children[0].dateOfBirth.year", "2019"), ("parentsCarers[0].name", "Nadia Khan"),
            ("presentingIssue", "Bruising to the face noticed at school"), ("rationale", "Possible non-accidental injury"),
        ] + concerns.map { ("concerns", $0) } + extra
        if urgency == "other" {
            let due = EuropeLondon.local(clock.now.addingTimeInterval(3 * 86_400))
            fields += [("agreedDue.day", String(due.date.day)), ("agreedDue.month", String(due.date.month)),
                       ("agreedDue.year", String(due.date.year)), ("agreedDue.time", "10:00"),
                       ("urgencyRationale", "Police cannot attend sooner; agreed with the service manager")]
        }
        return fields
    }

    /// Makes a request as `who` and returns the new discussion's id.
    func requestDiscussion(as who: Who = .socialWorker, fields: [(String, String)]? = nil) async throws -> UUID {
        let browser = try await self.browser(who)
        try await browser.get("/discussions/new")
        let response = try await browser.post("/discussions", fields ?? requestFields())
        #expect(response.status == .seeOther, "request failed: \(Browser.firstMatch(#"cv-error-summary__list">(.*?)</ul>"#, in: response.body.string) ?? "")")
        let id = try #require(Browser.firstMatch(#"/discussions/([0-9a-f-]{36})"#, in: response.location))
        return try #require(UUID(uuidString: id))
    }

    func discussion(_ id: UUID) async throws -> Discussion {
        try #require(try await Discussion.find(id, on: app.db))
    }

    func version(_ id: UUID) async throws -> String {
        String(try await discussion(id).lockVersion)
    }

    /// Moves a discussion forward to `stage` through the pages, as the chair, minute taker
    /// and manager would.
    func advance(_ id: UUID, to stage: DiscussionStage) async throws {
        let order: [DiscussionStage] = [.requested, .awaitingBooking, .booked, .inMeeting, .recordFinal, .authorised, .circulated]
        let target = try #require(order.firstIndex(of: stage))
        let path = "/discussions/\(id.slug)"
        let chair = try await browser(.teamManager)
        while let current = order.firstIndex(of: try await discussion(id).stage), current < target {
            switch order[current] {
            case .requested:
                try await chair.get(path + "/decision")
                try expectRedirect(try await chair.post(path + "/decision", [("convene", "yes"), ("version", try await version(id))]))
            case .awaitingBooking:
                let minutes = try await browser(.minuteTaker)
                let page = try await minutes.get(path + "/booking")
                let slot = try #require(Browser.firstMatch(#"name="slot" type="radio" value="([^"]+)""#, in: page.body.string))
                try expectRedirect(try await minutes.post(path + "/booking", [
                    ("slot", slot), ("format", "virtual"), ("details", "Video link"), ("chair", people[.teamManager]!.slug),
                    ("version", try await version(id)), ("duration", "30"), ("dialIn", "0800 123 4567"), ("accessCode", "4821"),
                ]))
                try await minutes.get(path + "/invitations")
                try expectRedirect(try await minutes.post(path + "/send", []))
            case .booked:
                try await recordMeeting(id, chair: chair)
            case .inMeeting:
                try await chair.get(path + "/record")
                try expectRedirect(try await chair.post(path + "/finalise", [("version", try await version(id))]))
            case .recordFinal:
                try await chair.get(path + "/record")
                try expectRedirect(try await chair.post(path + "/authorise", [("version", try await version(id))]))
            case .authorised:
                let minutes = try await browser(.minuteTaker)
                try await minutes.get(path + "/record")
                try expectRedirect(try await minutes.post(path + "/circulate", [("version", try await version(id))]))
            default:
                return
            }
        }
    }

    /// Attendance (everyone by video), every agenda note, every checklist item, complete
    /// decisions for each child, one action, one safety plan item and the monitoring line.
    func recordMeeting(_ id: UUID, chair: Browser) async throws {
        let path = "/discussions/\(id.slug)"
        let attendance = try await chair.get(path + "/attendance")
        let modes = Set(Browser.allMatches(#"name="(mode\.[0-9a-f-]{36})""#, in: attendance.body.string))
        let now = EuropeLondon.local(clock.now)
        var fields: [(String, String)] = [
            ("startedAt.day", String(now.date.day)), ("startedAt.month", String(now.date.month)),
            ("startedAt.year", String(now.date.year)),
            ("startedAt.time", RFC3339.pad2(now.secondsIntoDay / 3600) + ":" + RFC3339.pad2(now.secondsIntoDay / 60 % 60)),
            ("version", try await version(id)),
            ("earlyStartReason", "Everyone was available before the booked time"),
        ]
        fields += modes.map { ($0, "virtual") }
        try expectRedirect(try await chair.post(path + "/attendance", fields))

        let agenda = try await chair.get(path + "/agenda")
        var notes = Set(Browser.allMatches(#"name="(sections\.[^"]+)""#, in: agenda.body.string)).map { ($0, "Notes for \($0)") }
        notes.append(("version", try await version(id)))
        try expectRedirect(try await chair.post(path + "/agenda", notes))

        let checklist = try await chair.get(path + "/checklist")
        var answers = Set(Browser.allMatches(#"name="(checklist\.[a-z0-9-]+)" type="radio""#, in: checklist.body.string)).map { ($0, "yes") }
        answers.append(("version", try await version(id)))
        try expectRedirect(try await chair.post(path + "/checklist", answers))

        let children = try await CaseChild.query(on: app.db).filter(\.$case.$id == (try await discussion(id)).$case.id).all()
        for child in children {
            let p = "decisions.\(child.id!.slug)."
            try await chair.get(path + "/decisions/\(child.id!.slug)")
            try expectRedirect(try await chair.post(path + "/decisions/\(child.id!.slug)", [
                (p + "significantHarm", "yes"), (p + "significantHarmEvidence", "Pattern of bruising"),
                (p + "outcome", "s47-joint"), (p + "criminalInvestigation", "yes"),
                (p + "criminalInvestigationPlan", "Police lead; ABE interview on Thursday"), (p + "medicalNeeded", "yes"),
                (p + "medicalReason", "Child protection medical today"), (p + "legalAction", "no"), (p + "ladoReferral", "no"),
                (p + "consentSought", "no"), (p + "consentRationale", "Seeking consent would undermine the police investigation"),
                (p + "parentsInformed", "yes"), (p + "familyInformation", "That enquiries are being made"),
                (p + "familyInformationRationale", "To keep the child safe"), (p + "differingViews", "no"),
                ("version", try await version(id)),
            ]))
        }
        let due = EuropeLondon.localDate(of: clock.now).adding(days: 3)
        try await chair.get(path + "/actions")
        try expectRedirect(try await chair.post(path + "/actions", [
            ("kind", "action"), ("what", "Visit and see the child alone"), ("owner", people[.socialWorker]!.slug),
            ("agency", "childrens-social-care"), ("due.day", String(due.day)), ("due.month", String(due.month)),
            ("due.year", String(due.year)), ("purpose", "Hear the child's wishes and feelings"), ("review", "At the review discussion"),
        ]))
        try expectRedirect(try await chair.post(path + "/actions", [
            ("kind", "safety-plan"), ("term", "immediate"), ("what", "Child stays with her grandmother"), ("ownerName", "Nadia Khan"),
            ("agency", "childrens-social-care"), ("due.day", String(due.day)), ("due.month", String(due.month)),
            ("due.year", String(due.year)), ("purpose", "Keep the child safe"),
        ]))
        try await chair.get(path + "/actions")
        try expectRedirect(try await chair.post(path + "/actions/monitoring", [
            ("monitoredBy", "The team manager, at weekly supervision"), ("safetyPlanNotRequiredReason", ""),
            ("version", try await version(id)),
        ]))
    }

    func expectRedirect(_ response: TestingHTTPResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if response.status != .seeOther {
            let summary = Browser.firstMatch(#"(?s)cv-error-summary__list">(.*?)</ul>"#, in: response.body.string)
                ?? String(response.body.string.prefix(400))
            Issue.record("expected a redirect, got \(response.status): \(summary)", sourceLocation: sourceLocation)
            throw ExpectedRedirect()
        }
    }

    struct ExpectedRedirect: Error {}
}
