import ConveneCore
@testable import ConveneWeb
import Testing
import VaporTesting

/// The Procedures pages: every pack, and one pack's rules in plain words with their
/// requirement IDs.
@Suite("Procedures pages")
struct ProceduresPageTests {
    @Test("Every pack is listed, the person's own authority's marked; each pack's page shows its rules with their IDs")
    func packsListedAndShown() async throws {
        try await TestWorld.run(pack: "hertfordshire") { world in
            let police = try await world.browser(.police)
            let list = try await police.get("/packs")
            #expect(list.status == .ok)
            for id in ["front-door", "bradford", "hertfordshire", "devon-mash", "north-yorkshire"] {
                #expect(list.text.contains("href=\"/packs/\(id)\""), "\(id) is not listed")
            }
            #expect(list.plainText.contains("Your authority’s"))

            let herts = try await police.get("/packs/hertfordshire")
            #expect(herts.status == .ok)
            let text = herts.plainText
            // The teleconference sessions (SLOT-002-01) and the rules' IDs are shown.
            #expect(text.contains("SLOT-002-01"), "\(text.prefix(400))")
            #expect(text.contains("ATT-ALL-01"))
            #expect(text.contains("Your authority’s procedure"))
            let bradford = try await police.get("/packs/bradford")
            #expect(bradford.plainText.contains("9am to 10am"), "Bradford's one-hour slots are not shown")
            #expect(!bradford.plainText.contains("Your authority’s procedure"))
            #expect(try await police.get("/packs/no-such-pack").status == .notFound)
        }
    }

    @Test("Signed-out visitors are sent to sign in")
    func signedOut() async throws {
        try await TestWorld.run { world in
            let response = try await world.anonymous().get("/packs/bradford")
            #expect(response.status == .seeOther)
            #expect(response.location.hasPrefix("/sign-in"))
        }
    }
}

extension ProceduresPageTests {
    @Test("SLOT-ALL-01, DEC-002-01, DEC-004-01, TIME-000-02: the Procedures pages describe the new pack fields in plain words")
    func newPackFields() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.teamManager)
            let herts = try await browser.get("/packs/hertfordshire").plainText
            #expect(herts.contains("one discussion at a time in each"))
            #expect(herts.contains("each of these is recorded"))
            #expect(herts.contains("opens with an access code sent separately"))
            #expect(herts.contains("receiving hospital or child development team services"))
            let frontDoor = try await browser.get("/packs/front-door").plainText
            #expect(frontDoor.contains("The chair’s time"))
            #expect(frontDoor.contains("within 10 days"))
            #expect(frontDoor.contains("when the request marks the concerns complex"))
            let northYorkshire = try await browser.get("/packs/north-yorkshire").plainText
            #expect(northYorkshire.contains("every original member endorses it"))
            #expect(northYorkshire.contains("immediate safeguarding concerns (urgency “immediate”)"))
            let devon = try await browser.get("/packs/devon-mash").plainText
            #expect(devon.contains("goes back to the previous team"))
            #expect(devon.contains("someone other than those above"))
            let bradford = try await browser.get("/packs/bradford").plainText
            #expect(bradford.contains("session that starts by the deadline"))
            #expect(bradford.contains("GP (general practitioner)"))
        }
    }
}
