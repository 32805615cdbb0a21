import ConveneCore
import ConveneStore
import ConveneTestSupport
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Issue 16: DEC-004-01 (North Yorkshire) and DEC-002-01 (Hertfordshire), through the pages.
@Suite("Procedures: outcomes")
struct OutcomeEndorsementTests {
    @Test("DEC-004-01: North Yorkshire shares the s47 outcome with the members; a significant change stands only when every member endorses it")
    func northYorkshireEndorsement() async throws {
        try await TestWorld.run(pack: "north-yorkshire", start: "2026-12-21T09:00:00Z") { world in
            let id = try await world.makeDiscussion(at: .inMeeting)
            let d = try await world.discussion(id)
            let members = try await world.invitations(id).filter { $0.attendance?.present ?? false }
            #expect(members.count >= 4)
            world.clock.set(at("2026-12-29T10:00:00Z"))
            let manager = try await world.browser(.teamManager)
            let casePath = "/cases/\(d.$case.id.slug)"
            try await manager.get(casePath)
            let event: [(String, String)] = [("type", "s47-completed"), ("icpcRequired", "no")]
                .setting(date: "at", day("2026-12-29"), time: "09:00")
            expectFieldError(try await manager.post(casePath + "/events", event), "note")
            let outboxBefore = try await world.count(OutboxMessage.self)
            try world.step(try await manager.post(casePath + "/events", event + [("note", "No further child protection action; child in need plan")]))
            #expect(try await world.count(OutboxMessage.self) - outboxBefore == members.filter { !$0.email.isEmpty }.count)

            let outcomePath = "/discussions/\(id.slug)/outcome"
            let page = try await manager.get(outcomePath)
            #expect(page.plainText.contains("child in need plan"))
            try world.step(try await manager.post(outcomePath, [("change", "Child protection plan needed after new disclosures"),
                                                                  ("reason", "Disclosure to school on 30 December")]))
            let change = try #require(try await OutcomeChange.query(on: world.app.db).first())
            #expect(change.status == .awaiting)
            #expect(change.members == members.count)

            // Someone who was not a member cannot answer.
            let outsider = try await world.browser(.serviceManager)
            try await outsider.get(outcomePath)
            let refused = try await outsider.post(outcomePath + "/\(change.id!.slug)", [("response", "endorse"), ("responseReason", "Agree")])
            #expect(refused.status == .forbidden || refused.status == .notFound, "\(refused.summary)")

            let who = Dictionary(uniqueKeysWithValues: world.people.map { ($0.value, $0.key) })
            let accountMembers = members.compactMap { $0.personID.flatMap { who[$0] } }
            #expect(accountMembers.count == members.count, "every member in this world has an account")
            for (i, member) in accountMembers.enumerated() {
                let browser = try await world.browser(member)
                try await browser.get(outcomePath)
                if i == 0 {
                    expectFieldError(try await browser.post(outcomePath + "/\(change.id!.slug)", [("response", "endorse")]), "responseReason")
                }
                try world.step(try await browser.post(outcomePath + "/\(change.id!.slug)", [
                    ("response", "endorse"), ("responseReason", "Agreed: the disclosure changes the risk"),
                ]))
                let status = try #require(try await OutcomeChange.find(change.id, on: world.app.db)).status
                #expect(status == (i == accountMembers.count - 1 ? .stands : .awaiting), "after \(i + 1) answers")
            }
            let timeline = try await manager.get(casePath)
            #expect(timeline.plainText.contains("endorsed the change"))
            #expect(timeline.plainText.contains("Change to the s47 outcome proposed – endorsed: the change stands"))

            // A second change: one objection and it does not stand.
            try world.step(try await manager.post(outcomePath, [("change", "Step down to early help"), ("reason", "Family engaging")]))
            let second = try #require(try await OutcomeChange.query(on: world.app.db).filter(\.$status == .awaiting).first())
            let objector = try await world.browser(.police)
            try await objector.get(outcomePath)
            try world.step(try await objector.post(outcomePath + "/\(second.id!.slug)", [
                ("response", "object"), ("responseReason", "Criminal investigation still open"),
            ]))
            #expect(try await OutcomeChange.find(second.id, on: world.app.db)?.status == .rejected)
            #expect(try await world.audit("outcome-object").count == 1)
        }
    }

    @Test("DEC-002-01: Hertfordshire's no-s47 outcome asks for each of the five follow-ups on the decisions page, and the record shows them")
    func hertfordshireEachFollowUp() async throws {
        try await TestWorld.run(pack: "hertfordshire") { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair)
            let child = try await world.firstChild(id)
            let p = "decisions.\(child.id!.slug)."
            let path = "/discussions/\(id.slug)/decisions/\(child.id!.slug)"
            let page = try await chair.get(path)
            for option in Packs.hertfordshire.withoutS47 {
                #expect(page.text.contains("name=\"\(p)followUps.\(option.id)\""), "no field for \(option.id)")
            }
            var fields = world.completeDecision(child.id!).setting(p + "outcome", "no-s47-threshold-not-met")
                .setting(p + "outcomeRationale", "Threshold not met")
            fields += [("version", try await world.version(id))]
            try world.step(try await chair.post(path, fields))
            let missing = try await chair.get(path)
            #expect(missing.plainText.contains("Record further information required"), "\(missing.plainText.prefix(800))")
            for option in Packs.hertfordshire.withoutS47 {
                fields = fields.setting(p + "followUps." + option.id, "Agreed for \(option.id)")
            }
            try world.step(try await chair.post(path, fields.setting("version", try await world.version(id))))
            let saved = try #require(try await ChildDecisionRecord.query(on: world.app.db).first())
            #expect(saved.decision.followUps?.count == 5)
            #expect(saved.decision.followUps?["monitoring"] == "Agreed for monitoring")
        }
    }
}
