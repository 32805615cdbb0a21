import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Steps 3 to 6: invitations with personal links (REQ-001-03), attendance and quoracy before
/// decisions (ATT-ALL-01, ATT-ALL-03), the checklist (AGN-001-01), SMART actions (ACT-ALL-01)
/// and two chairs editing one record (optimistic locking).
@Suite("Lifecycle pages: invitations and the meeting")
struct InvitationAndMeetingPageTests {
    // MARK: Invitations

    @Test("REQ-001-03: booking invites the chair, the requesting social worker and the required police and health people")
    func bookingPrepopulatesInvitations() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let invited = Set(try await world.invitations(id).compactMap(\.personID))
            for who in [Who.teamManager, .socialWorker, .police, .health] {
                #expect(invited.contains(world.people[who]!), "\(who) is not invited")
            }
            #expect(!invited.contains(world.people[.foreignManager]!))
        }
    }

    @Test("REQ-001-03: adding a person with an account, then someone without one; adding the same person twice is refused")
    func addInvitees() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let path = "/discussions/\(id.slug)/invitations"
            let minutes = try await world.browser(.minuteTaker)
            try await minutes.get(path)
            let education = world.people[.education]!.slug
            try world.expectRedirect(try await minutes.post(path, [("person", education)]))
            #expect(try await world.invitations(id).contains { $0.personID == world.people[.education] })

            let before = try await world.storeState()
            expectFieldError(try await minutes.post(path, [("person", education)]), "person", containing: "already invited")
            #expect(try await world.storeState() == before)

            // Someone of the other authority is not offered and cannot be added.
            expectFieldError(try await minutes.post(path, [("person", world.people[.foreignManager]!.slug)]), "person")

            try world.expectRedirect(try await minutes.post(path, [
                ("name", "Dana Reid"), ("email", "dana.reid@school.example"), ("agency", "education"), ("role", "Designated safeguarding lead"),
            ]))
            let external = try #require(try await world.invitations(id).first { $0.name == "Dana Reid" })
            #expect(external.personID == nil)
            #expect(external.sentAt == nil)
        }
    }

    @Test("REQ-001-03: someone without an account needs a name, a real email address and an agency, each named when missing")
    func externalInviteeValidation() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let path = "/discussions/\(id.slug)/invitations"
            let minutes = try await world.browser(.minuteTaker)
            try await minutes.get(path)
            let before = try await world.storeState()
            let empty = try await minutes.post(path, [("name", ""), ("email", "")])
            expectFieldError(empty, "name")
            let bad = try await minutes.post(path, [("name", "Dana Reid"), ("email", "dana at school"), ("agency", "nowhere")])
            expectFieldError(bad, "email", containing: "correct format")
            expectFieldError(bad, "agency")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REQ-001-03: removing an invitee who has not attended takes them off the list")
    func removeInvitee() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let path = "/discussions/\(id.slug)/invitations"
            let minutes = try await world.browser(.minuteTaker)
            try await minutes.get(path)
            try world.expectRedirect(try await minutes.post(path, [("person", world.people[.education]!.slug)]))
            let invitation = try #require(try await world.invitations(id).first { $0.personID == world.people[.education] })
            try world.expectRedirect(try await minutes.post(path + "/\(invitation.id!.slug)/remove", []))
            #expect(try await !world.invitations(id).contains { $0.id == invitation.id })
            #expect(try await world.audit("invite-remove").count == 1)
        }
    }

    @Test("REQ-001-03: sending writes one message per unsent invitation; an invitee without an account gets a personal link, others a link to the discussion")
    func sendInvitations() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let path = "/discussions/\(id.slug)/invitations"
            let minutes = try await world.browser(.minuteTaker)
            try await minutes.get(path)
            try world.expectRedirect(try await minutes.post(path, [("person", world.people[.education]!.slug)]))
            try world.expectRedirect(try await minutes.post(path, [
                ("name", "Dana Reid"), ("email", "dana.reid@school.example"), ("agency", "education"),
            ]))
            let outboxBefore = try await world.count(OutboxMessage.self)
            let earlier = Set(try await OutboxMessage.query(on: world.app.db).all().map(\.id))
            try world.expectRedirect(try await minutes.post("/discussions/\(id.slug)/send", []))
            let messages = try await OutboxMessage.query(on: world.app.db).all().filter { !earlier.contains($0.id) }
            #expect(messages.count == 2, "\(messages.map(\.toEmail))")
            let toEducation = try #require(messages.first { $0.toEmail == Who.education.email })
            #expect(toEducation.body.contains("/discussions/\(id.slug)"))
            #expect(!toEducation.body.contains("/access/"))
            let toDana = try #require(messages.first { $0.toEmail == "dana.reid@school.example" })
            let token = try #require(Browser.firstMatch(#"/access/([A-Za-z0-9_-]+)"#, in: toDana.body), "no personal link: \(toDana.body)")
            let dana = try #require(try await world.invitations(id).first { $0.name == "Dana Reid" })
            #expect(dana.accessTokenHash == Tokens.sha256(token), "only the link's hash is kept")
            #expect(dana.sentAt != nil)
            for message in messages {
                #expect(!message.body.contains("Amira") && !message.subject.contains("Amira"), "a message names the child")
            }
            // Sending again sends nothing new.
            try world.expectRedirect(try await minutes.post("/discussions/\(id.slug)/send", []))
            #expect(try await world.count(OutboxMessage.self) == outboxBefore + 2)
        }
    }

    @Test("REQ-001-03: a personal link opens the discussion in the first browser only; a forwarded copy is refused")
    func personalLinkNotForwardable() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let minutes = try await world.browser(.minuteTaker)
            try await minutes.get("/discussions/\(id.slug)/invitations")
            try world.expectRedirect(try await minutes.post("/discussions/\(id.slug)/invitations", [
                ("name", "Dana Reid"), ("email", "dana.reid@school.example"), ("agency", "education"),
            ]))
            try world.expectRedirect(try await minutes.post("/discussions/\(id.slug)/send", []))
            let message = try #require(try await OutboxMessage.query(on: world.app.db).filter(\.$toEmail == "dana.reid@school.example").first())
            let token = try #require(Browser.firstMatch(#"/access/([A-Za-z0-9_-]+)"#, in: message.body))

            let dana = world.anonymous()
            let before = try await world.storeState()
            #expect(try await dana.get("/access/\(token)").status == .ok)
            #expect(try await world.storeState() == before, "GET of a personal link changed state (ASVS-5.0-3.5.3)")
            let opened = try await dana.post("/access/\(token)", [])
            #expect(opened.status == .seeOther && opened.location == "/discussions/\(id.slug)", "\(opened.summary)")
            #expect(try await dana.get("/discussions/\(id.slug)").status == .ok)
            // The link session reaches nothing else.
            let other = try await world.makeDiscussion(childName: "Ben Okoro")
            #expect(try await dana.get("/discussions/\(other.slug)").status == .notFound)
            #expect(try await dana.get("/discussions/new").status == .forbidden)

            let forwarded = world.anonymous()
            try await forwarded.get("/access/\(token)")
            let refused = try await forwarded.post("/access/\(token)", [])
            #expect(refused.status == .forbidden, "\(refused.summary)")
            #expect(try await forwarded.get("/discussions/\(id.slug)").location.hasPrefix("/sign-in"))
            #expect(try await world.audit("access-link-refused").count == 1)
        }
    }

    // MARK: Attendance and quoracy (ATT-ALL-01, ATT-ALL-03)

    @Test("ATT-ALL-01: with social care, police and health present the meeting is quorate and decisions open")
    func quorateWithHealth() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair, proceedReason: "")
            let d = try await world.discussion(id)
            #expect(d.stage == .inMeeting)
            #expect(d.quoracy?.quorate == true, "\(String(describing: d.quoracy))")
            let child = try await world.firstChild(id)
            #expect(try await chair.get("/discussions/\(id.slug)/decisions/\(child.id!.slug)").status == .ok)
        }
    }

    @Test("ATT-ALL-01, ATT-ALL-03: without health the meeting is not quorate and decisions are refused (409) until the chair records why they went ahead")
    func notQuorateWithoutHealth() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            let health = try await world.person(.health).name
            try await world.attend(id, chair: chair, modes: [health: "apologies"], proceedReason: "")
            let d = try await world.discussion(id)
            #expect(d.quoracy?.quorate == false)
            #expect(d.quoracy?.missing.contains { $0.lowercased().contains("health") } == true, "\(d.quoracy?.missing ?? [])")
            let child = try await world.firstChild(id)
            let decisions = "/discussions/\(id.slug)/decisions/\(child.id!.slug)"
            #expect(try await chair.get(decisions).status == .conflict)
            let before = try await world.storeState()
            let refused = try await chair.post(decisions, world.completeDecision(child.id!) + [("version", try await world.version(id))])
            #expect(refused.status == .conflict, "\(refused.summary)")
            #expect(refused.plainText.contains("quoracy"))
            #expect(try await world.storeState() == before)

            try await world.attend(id, chair: chair, modes: [health: "apologies"],
                                   proceedReason: "Named nurse gave her information in advance; child seen today")
            #expect(try await world.discussion(id).quoracy?.proceedReason == "Named nurse gave her information in advance; child seen today")
            #expect(try await chair.get(decisions).status == .ok)
        }
    }

    @Test("ATT-ALL-03: decisions cannot be recorded before attendance and quoracy are checked (409)")
    func decisionsBeforeQuoracy() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            let child = try await world.firstChild(id)
            let path = "/discussions/\(id.slug)/decisions/\(child.id!.slug)"
            #expect(try await chair.get(path).status == .conflict)
            let before = try await world.storeState()
            #expect(try await chair.post(path, world.completeDecision(child.id!) + [("version", try await world.version(id))]).status == .conflict)
            #expect(try await world.storeState() == before)
            #expect(try await world.count(ChildDecisionRecord.self) == 0)
        }
    }

    @Test("ATT-ALL-03: attendance needs the time the meeting started, named when missing")
    func attendanceNeedsStart() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await chair.get("/discussions/\(id.slug)/attendance")
            let before = try await world.storeState()
            expectFieldError(try await chair.post("/discussions/\(id.slug)/attendance", [("version", try await world.version(id))]), "startedAt")
            #expect(try await world.storeState() == before)
        }
    }

    // MARK: Checklist and actions

    @Test("AGN-001-01: a checklist item answered “no” without a note is refused, naming that item's note")
    func checklistNoWithoutNote() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair)
            try await chair.get("/discussions/\(id.slug)/checklist")
            let before = try await world.storeState()
            let response = try await chair.post("/discussions/\(id.slug)/checklist", [
                ("checklist.medical", "no"), ("checklist.medical.note", ""), ("checklist.lado", "yes"), ("version", try await world.version(id)),
            ])
            expectFieldError(response, "checklist-medical-note", containing: "was not covered")
            #expect(try await world.storeState() == before)
            try world.expectRedirect(try await chair.post("/discussions/\(id.slug)/checklist", [
                ("checklist.medical", "no"), ("checklist.medical.note", "Seen by the GP yesterday"), ("version", try await world.version(id)),
            ]))
            #expect(try await world.discussion(id).content.checklist["medical"]?.note == "Seen by the GP yesterday")
        }
    }

    @Test("ACT-ALL-01: an action missing its SMART elements is refused, naming what, who, agency, when, why and review")
    func actionMissingSmartElements() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair)
            try await chair.get("/discussions/\(id.slug)/actions")
            let before = try await world.storeState()
            let response = try await chair.post("/discussions/\(id.slug)/actions", [("kind", "action")])
            for field in ["what", "owner", "agency", "due", "purpose", "review"] {
                expectFieldError(response, field)
            }
            // Each element alone.
            let complete = world.actionFields(owner: .socialWorker)
            for (field, id2) in [("what", "what"), ("owner", "owner"), ("purpose", "purpose"), ("review", "review"), ("due", "due")] {
                let one = try await chair.post("/discussions/\(id.slug)/actions", complete.removing(field))
                expectFieldError(one, id2)
                #expect(one.errorLinks.count == 1, "\(field): \(one.errorTexts)")
            }
            let past = try await chair.post("/discussions/\(id.slug)/actions", complete.setting(date: "due", world.today.adding(days: -1)))
            expectFieldError(past, "due", containing: "on or after the meeting")
            let plan = try await chair.post("/discussions/\(id.slug)/actions", [
                ("kind", "safety-plan"), ("what", "Stay with grandmother"), ("ownerName", "Nadia Khan"), ("agency", "childrens-social-care"),
                ("purpose", "Safety"),
            ].setting(date: "due", world.today))
            expectFieldError(plan, "term")
            #expect(try await world.storeState() == before)
        }
    }

    // MARK: Two chairs, one record

    @Test("Optimistic locking: two chairs save the same agenda from the same version; the second gets 409 and their text is not saved")
    func twoChairsSameVersion() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair)
            let deputy = try await world.browser(.serviceManager)
            try await chair.get("/discussions/\(id.slug)/agenda")
            try await deputy.get("/discussions/\(id.slug)/agenda")
            let version = try await world.version(id)
            try world.expectRedirect(try await chair.post("/discussions/\(id.slug)/agenda", [
                ("sections.reason", "Bruising seen at school"), ("version", version),
            ]))
            let before = try await world.storeState()
            let second = try await deputy.post("/discussions/\(id.slug)/agenda", [
                ("sections.reason", "Deputy's different text"), ("version", version),
            ])
            #expect(second.status == .conflict, "\(second.summary)")
            #expect(second.plainText.contains("Someone else changed this discussion"))
            #expect(try await world.discussion(id).content.sections["reason"] == "Bruising seen at school")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("Optimistic locking: a stale version is refused on every versioned form of the meeting")
    func staleVersionEverywhere() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair)
            let child = try await world.firstChild(id)
            let stale = String(try await world.discussion(id).lockVersion - 1)
            let before = try await world.storeState()
            let forms: [(String, [(String, String)])] = [
                ("attendance", [("proceedReason", "")].setting(date: "startedAt", world.today, time: "09:00")),
                ("checklist", [("checklist.lado", "yes")]),
                ("decisions/\(child.id!.slug)", world.completeDecision(child.id!)),
                ("actions/monitoring", [("monitoredBy", "Team manager")]),
                ("finalise", []),
            ]
            for (part, fields) in forms {
                let response = try await chair.post("/discussions/\(id.slug)/\(part)", fields + [("version", stale)])
                #expect(response.status == .conflict, "\(part): \(response.summary)")
            }
            #expect(try await world.storeState() == before)
        }
    }
}
