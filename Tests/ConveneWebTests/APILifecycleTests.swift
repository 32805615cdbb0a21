import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// The whole procedure through the JSON API with bearer tokens, each step by the person the
/// procedure names: request → decision → booking → invitations → meeting → record →
/// finalised → authorised → circulated, then the invitee's minutes and a correction.
@Suite("API lifecycle")
struct APILifecycleTests {
    @Test("Through the API: a request goes to circulated minutes, every step audited and versioned")
    func requestToCirculation() async throws {
        try await TestWorld.run { world in
            // setup
            let worker = try await world.api(.socialWorker)
            let chair = try await world.api(.teamManager)
            let minutes = try await world.api(.minuteTaker)

            // REQ-001-01: the social worker's request.
            let id = try await world.requestThroughAPI(worker)
            let path = "/discussions/\(id.slug)"
            var state = try await worker.get(path)
            #expect(state.status == .ok)
            #expect((state["discussion"] as? [String: Any])?["stage"] as? String == "requested")

            // REQ-001-02: the team manager convenes.
            var step = try await chair.post(path + "/decision", ["convene": true, "expectedVersion": 1])
            #expect(step.status == .ok, "\(step.text)")
            #expect(step.string("stage") == "awaiting-booking")

            // SLOT-*: the minute taker books the first free slot with the chair.
            let slots = try await minutes.get(path + "/slots?per=3")
            let offers = try #require(slots["items"] as? [[String: Any]])
            #expect(offers.count == 3)
            let start = try #require(offers.first?["start"] as? String)
            step = try await minutes.post(path + "/booking", [
                "slotStart": start, "format": "virtual", "details": "Video link", "chairId": world.people[.teamManager]!.slug,
                "expectedVersion": step.int("version"),
            ])
            #expect(step.status == .ok, "\(step.text)")
            #expect(step.string("stage") == "booked")
            #expect(step.string("slotStart") == start)

            // REQ-001-03: the invitations the procedure requires go out.
            step = try await minutes.post(path + "/invitations/send")
            #expect(step.status == .ok, "\(step.text)")
            let invitations = try await minutes.get(path + "/invitations")
            let invitees = try #require(invitations["items"] as? [[String: Any]])
            #expect(!invitees.isEmpty)
            #expect(invitees.allSatisfy { $0["sentAt"] is String })

            // ATT-ALL-03: everyone joined by video; quoracy is checked.
            let version = { (reply: APIClient.Reply) in
                (reply["discussion"] as? [String: Any])?["version"] as? Int ?? reply.int("version")
            }
            state = try await chair.get(path)
            step = try await chair.put(path + "/attendance", [
                "startedAt": RFC3339.format(world.clock.now),
                "earlyStartReason": "Everyone was free before the booked time",
                "attendance": invitees.map { ["invitationId": $0["id"]!, "mode": "virtual"] },
                "expectedVersion": version(state),
            ])
            #expect(step.status == .ok, "\(step.text)")
            #expect((step["quoracy"] as? [String: Any])?["quorate"] as? Bool == true)

            // AGN-*: a note for every agenda item, every checklist item answered.
            var record = try await chair.get(path + "/record")
            let agenda = try #require(record["agenda"] as? [[String: Any]]).compactMap { $0["key"] as? String }
            let checklist = try #require(record["checklist"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            step = try await chair.put(path + "/agenda", [
                "sections": Dictionary(uniqueKeysWithValues: agenda.map { ($0, "Notes for \($0)") }),
                "expectedVersion": version(record),
            ])
            #expect(step.status == .ok, "\(step.text)")
            step = try await chair.put(path + "/checklist", [
                "checklist": Dictionary(uniqueKeysWithValues: checklist.map { ($0, ["response": "yes"]) }),
                "expectedVersion": step.int("version"),
            ])
            #expect(step.status == .ok, "\(step.text)")

            // DEC-*: the decisions for the child.
            let child = try #require(((state["children"] as? [[String: Any]])?.first?["id"]) as? String)
            step = try await chair.put(path + "/decisions/\(child)", [
                "decision": APILifecycleTests.completeDecision, "expectedVersion": step.int("version"),
            ])
            #expect(step.status == .ok, "\(step.text)")
            let saved = try await chair.get(path + "/decisions/\(child)")
            #expect(saved.string("outcome") == "s47-joint")

            // ACT-ALL-01, ACT-ALL-02: one SMART action, one safety plan item, who monitors.
            let due = EuropeLondon.localDate(of: world.clock.now).adding(days: 3).description
            step = try await chair.post(path + "/actions", [
                "kind": "action", "what": "Visit and see the child alone", "ownerId": world.people[.socialWorker]!.slug,
                "due": due, "purpose": "Hear the child's wishes and feelings", "review": "At the review discussion",
                "childId": child,
            ])
            #expect(step.status == .created, "\(step.text)")
            #expect(step.string("owner") == "SocialWorker")
            step = try await chair.post(path + "/actions", [
                "kind": "safety-plan", "term": "immediate", "what": "Child stays with her grandmother", "owner": "Nadia Khan",
                "agency": "childrens-social-care", "due": due, "purpose": "Keep the child safe",
            ])
            #expect(step.status == .created, "\(step.text)")
            state = try await chair.get(path)
            step = try await chair.put(path + "/monitoring", [
                "monitoredBy": "The team manager, at weekly supervision", "expectedVersion": version(state),
            ])
            #expect(step.status == .ok, "\(step.text)")

            // REC-ALL-01: nothing missing; the chair finalises and authorises.
            record = try await chair.get(path + "/record")
            #expect((record["missing"] as? [Any])?.isEmpty == true, "still missing: \(record["missing"] ?? "")")
            step = try await chair.post(path + "/finalise", ["expectedVersion": step.int("version")])
            #expect(step.status == .ok, "\(step.text)")
            #expect((step["discussion"] as? [String: Any])?["stage"] as? String == "record-final")
            step = try await chair.post(path + "/authorise", ["expectedVersion": version(step)])
            #expect(step.status == .ok, "\(step.text)")
            #expect(step.int("recordVersion") == 2)

            // REC-ALL-02: circulated to the invitees only.
            step = try await minutes.post(path + "/circulate", ["expectedVersion": version(step)])
            #expect(step.status == .ok, "\(step.text)")
            #expect((step["discussion"] as? [String: Any])?["stage"] as? String == "circulated")

            // validate
            let versions = try await chair.get(path + "/versions")
            #expect((versions["items"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } == ["final", "authorised"])
            let discussion = try await world.discussion(id)
            #expect(discussion.stage == .circulated)
            let actions = try await AuditEntry.query(on: world.app.db).all().map(\.action)
            for action in ["create", "decide", "book", "invite-send", "attendance", "record-edit", "action-add", "finalise",
                           "authorise", "circulate", "view", "token-create"] {
                #expect(actions.contains(action), "no audit entry for \(action)")
            }
            #expect(try await AuditTrail.verify(on: world.app.db).ok)
        }
    }

    static var completeDecision: [String: Any] {
        [
            "significantHarm": "yes", "significantHarmEvidence": "Pattern of bruising", "outcome": "s47-joint",
            "criminalInvestigation": "yes", "criminalInvestigationPlan": "Police lead; ABE interview on Thursday",
            "medicalNeeded": "yes", "medicalReason": "Child protection medical today", "legalAction": "no", "ladoReferral": "no",
            "consentSought": "no", "consentRationale": "Seeking consent would undermine the police investigation",
            "parentsInformed": "yes", "familyInformation": "That enquiries are being made",
            "familyInformationRationale": "To keep the child safe", "differingViews": "no",
        ]
    }
}
