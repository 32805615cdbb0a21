import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Step 7: the record. Finalised only when complete, authorised by a manager the pack allows
/// (REC-ALL-01), circulated to the invitees only (REC-ALL-02), readable by them only after
/// authorisation, corrected within the pack's window (REC-001-01), every version kept
/// (REC-002-02).
@Suite("Lifecycle pages: the record")
struct RecordPageTests {
    @Test("REC-ALL-01, AGN-001-01: finalising an incomplete record is refused with 400, listing everything missing, and nothing changes")
    func finaliseRefusedWhileMissing() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair)
            try await chair.get("/discussions/\(id.slug)/record")
            let before = try await world.storeState()
            let response = try await chair.post("/discussions/\(id.slug)/finalise", [("version", try await world.version(id))])
            #expect(response.status == .badRequest, "\(response.summary)")
            let texts = response.errorTexts.joined(separator: "\n")
            for expected in ["Answer the checklist item", "Complete “Reason for strategy meeting”", "Agree at least one SMART action",
                             "Add the safety plan", "Record the decisions for Amira Khan"] {
                #expect(texts.contains(expected), "the list does not say “\(expected)”:\n\(texts)")
            }
            // Each item links to where it is fixed: another page of the discussion, or an element of this one.
            let dead = response.errorLinks.filter { link in
                link.hasPrefix("#") ? !response.hasElement(id: String(link.dropFirst())) : !link.hasPrefix("/discussions/\(id.slug)/")
            }
            #expect(dead.isEmpty, "error summary links that lead nowhere: \(dead.prefix(5)) (\(dead.count) of \(response.errorLinks.count))")
            #expect(try await world.storeState() == before)
            #expect(try await world.discussion(id).stage == .inMeeting)
            #expect(try await world.count(RecordVersion.self) == 0)
        }
    }

    @Test("REC-ALL-01: a complete record is finalised by the chair as version 1, and reopening returns it to the meeting")
    func finaliseAndReopen() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .recordFinal)
            let d = try await world.discussion(id)
            #expect(d.stage == .recordFinal)
            #expect(d.recordVersion == 1)
            let chair = try await world.browser(.teamManager)
            try world.expectRedirect(try await chair.post("/discussions/\(id.slug)/reopen", [("version", try await world.version(id))]))
            #expect(try await world.discussion(id).stage == .inMeeting)
        }
    }

    @Test("REC-ALL-01: a role the pack does not allow to authorise (Devon: team managers only) is refused with 403 and nothing changes")
    func authoriseByDisallowedRole() async throws {
        try await TestWorld.run(pack: "devon-mash") { world in
            let id = try await world.makeDiscussion(at: .recordFinal)
            let service = try await world.browser(.serviceManager)
            let page = try await service.get("/discussions/\(id.slug)/record")
            #expect(page.status == .ok)
            #expect(!page.text.contains("/discussions/\(id.slug)/authorise"), "the page offers a button that will be refused")
            let before = try await world.storeState()
            let response = try await service.post("/discussions/\(id.slug)/authorise", [("version", try await world.version(id))])
            #expect(response.status == .forbidden, "\(response.summary)")
            #expect(try await world.storeState() == before)
            #expect(try await world.discussion(id).stage == .recordFinal)
            // The team manager, whom Devon allows, authorises it.
            let manager = try await world.browser(.teamManager)
            try world.expectRedirect(try await manager.post("/discussions/\(id.slug)/authorise", [("version", try await world.version(id))]))
            #expect(try await world.discussion(id).stage == .authorised)
        }
    }

    @Test("REC-ALL-02, REC-001-01: circulating sends the authorised minutes to every invitee and no one else")
    func circulate() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .authorised)
            let before = Set(try await OutboxMessage.query(on: world.app.db).all().map(\.id))
            let minutes = try await world.browser(.minuteTaker)
            try await minutes.get("/discussions/\(id.slug)/record")
            try world.expectRedirect(try await minutes.post("/discussions/\(id.slug)/circulate", [("version", try await world.version(id))]))
            let sent = try await OutboxMessage.query(on: world.app.db).all().filter { !before.contains($0.id) }
            let invited = try await world.invitations(id).filter(\.invited)
            #expect(Set(sent.map(\.toEmail)) == Set(invited.map(\.email)))
            #expect(invited.allSatisfy { $0.circulatedAt != nil && $0.circulatedVersion == 2 })
            #expect(sent.allSatisfy { $0.subject.hasPrefix("Minutes: ") && !$0.body.contains("Amira") })
            let d = try await world.discussion(id)
            #expect(d.stage == .circulated)
            // Circulating twice is refused.
            let again = try await minutes.post("/discussions/\(id.slug)/circulate", [("version", try await world.version(id))])
            #expect(again.status == .conflict)
        }
    }

    // Issue 9, finding 7: minutes go to the invitees on circulation (REC-ALL-02), not on
    // authorisation as this test said before.
    @Test("REC-ALL-01, REC-ALL-02: invitees cannot read the minutes before they are authorised and circulated, and can after")
    func minutesReleasedOnCirculation() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .recordFinal)
            let police = try await world.browser(.police)
            let early = try await police.get("/discussions/\(id.slug)/minutes")
            #expect(early.status == .ok)
            #expect(!early.text.contains("Notes for sections"), "the working record shows before authorisation")
            #expect(!early.text.contains("Pattern of bruising"))
            #expect(try await police.get("/discussions/\(id.slug)/record").status == .forbidden)
            #expect(try await police.get("/discussions/\(id.slug)/versions/1").status == .forbidden)

            try await world.advance(id, to: .authorised, cast: .ownTeam)
            let authorised = try await police.get("/discussions/\(id.slug)/minutes")
            #expect(!authorised.text.contains("Pattern of bruising"), "authorised minutes shown before circulation")
            try await world.advance(id, to: .circulated, cast: .ownTeam)
            let released = try await police.get("/discussions/\(id.slug)/minutes")
            #expect(released.status == .ok)
            #expect(released.text.contains("Pattern of bruising"), "the authorised minutes are not shown")
            // The invitee still never sees the chair's draft.
            #expect(try await police.get("/discussions/\(id.slug)/versions/1").status == .forbidden)
            #expect(try await police.get("/discussions/\(id.slug)/versions/2").status == .ok)
            // Someone not invited does not see them at all.
            let education = try await world.browser(.education)
            #expect(try await education.get("/discussions/\(id.slug)/minutes").status == .notFound)
        }
    }

    // MARK: Corrections (REC-001-01)

    func submitCorrection(_ world: TestWorld, _ id: UUID, as browser: Browser, text: String = "Police attended in person, not by video")
        async throws -> TestingHTTPResponse
    {
        try await browser.get("/discussions/\(id.slug)/minutes")
        return try await browser.post("/discussions/\(id.slug)/corrections", [("section", "Attendance"), ("text", text)])
    }

    @Test("REC-001-01: an invitee sends a correction within 24 hours of receiving the minutes; an empty one is refused")
    func correctionWithinWindow() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let police = try await world.browser(.police)
            let page = try await police.get("/discussions/\(id.slug)/minutes")
            #expect(page.text.contains("/discussions/\(id.slug)/corrections"), "no correction form within the window")
            expectFieldError(try await police.post("/discussions/\(id.slug)/corrections", [("section", "Attendance"), ("text", " ")]), "text")
            try world.expectRedirect(try await submitCorrection(world, id, as: police))
            let correction = try #require(try await Correction.query(on: world.app.db).first())
            #expect(correction.status == .pending)
            #expect(correction.submittedByName == (try await world.person(.police)).name)
        }
    }

    @Test("REC-001-01: on the Bradford pack a correction more than 24 hours after the minutes were received is refused")
    func correctionAfterWindow() async throws {
        try await TestWorld.run(pack: "bradford") { world in
            let id = try await world.makeDiscussion(at: .circulated)
            world.clock.advance(24 * 3600 + 60)
            let police = try await world.browser(.police)
            let page = try await police.get("/discussions/\(id.slug)/minutes")
            #expect(page.status == .ok)
            #expect(!page.text.contains(#"action="/discussions/\#(id.slug)/corrections""#), "the page still offers the correction form")
            let before = try await world.storeState()
            let response = try await submitCorrection(world, id, as: police)
            #expect(response.status == .conflict, "\(response.summary)")
            #expect(response.plainText.contains("within the time the procedure allows"))
            #expect(try await world.storeState() == before)
            #expect(try await world.count(Correction.self) == 0)
        }
    }

    @Test("REC-001-01: someone who was not invited cannot send a correction")
    func correctionByNonInvitee() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let education = try await world.browser(.education)
            let before = try await world.storeState()
            let response = try await education.post("/discussions/\(id.slug)/corrections", [("section", "Attendance"), ("text", "Wrong")])
            #expect(response.status == .notFound, "\(response.summary)")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REC-002-02: the chair rejects a correction only with a reason (400 naming it without one); accepting makes a new version")
    func chairDecidesCorrections() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let police = try await world.browser(.police)
            let health = try await world.browser(.health)
            try world.expectRedirect(try await submitCorrection(world, id, as: police))
            try world.expectRedirect(try await submitCorrection(world, id, as: health, text: "The named nurse is Jo Bell"))
            let corrections = try await Correction.query(on: world.app.db).sort(\.$createdAt).all()
            let (first, second) = (corrections[0].id!.slug, corrections[1].id!.slug)
            let chair = try await world.browser(.teamManager)
            let list = try await chair.get("/discussions/\(id.slug)/corrections")
            #expect(list.status == .ok)
            #expect(list.text.contains("Police attended in person"))

            let before = try await world.storeState()
            let noReason = try await chair.post("/discussions/\(id.slug)/corrections/\(first)", [("decision.\(first)", "reject"),
                                                                                               ("reason.\(first)", "")])
            #expect(noReason.status == .badRequest, "\(noReason.summary)")
            #expect(noReason.plainText.contains("Give the reason for rejecting the correction"),
                    "the page does not say what is missing: \(noReason.plainText.prefix(300))")
            let noChoice = try await chair.post("/discussions/\(id.slug)/corrections/\(first)", [("reason.\(first)", "")])
            #expect(noChoice.status == .badRequest)
            #expect(try await world.storeState() == before)

            try world.expectRedirect(try await chair.post("/discussions/\(id.slug)/corrections/\(first)", [
                ("decision.\(first)", "reject"), ("reason.\(first)", "The police officer joined by video"),
            ]))
            try world.expectRedirect(try await chair.post("/discussions/\(id.slug)/corrections/\(second)", [
                ("decision.\(second)", "accept"), ("reason.\(second)", ""),
            ]))
            let decided = try await Correction.query(on: world.app.db).sort(\.$createdAt).all()
            #expect(decided[0].status == .rejected && decided[0].decisionReason == "The police officer joined by video")
            #expect(decided[1].status == .accepted && decided[1].resultVersion == 3)
            let versions = try await RecordVersion.query(on: world.app.db).filter(\.$discussion.$id == id).sort(\.$number).all()
            #expect(versions.map(\.kind) == [.final, .authorised, .corrected])
            // A decided correction cannot be decided again.
            let again = try await chair.post("/discussions/\(id.slug)/corrections/\(first)", [
                ("decision.\(first)", "accept"), ("reason.\(first)", ""),
            ])
            #expect(again.status == .conflict)
            // The invitees now read the corrected version.
            let minutes = try await police.get("/discussions/\(id.slug)/minutes")
            #expect(minutes.text.contains("The named nurse is Jo Bell"))
        }
    }
}
