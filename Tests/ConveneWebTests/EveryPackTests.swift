import ConveneCore
import ConveneStore
import ConveneTestSupport
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Issue 16: each of the five packs runs as its own authority, side by side in one
/// installation, through the JSON API from request to circulated minutes.
@Suite("Every pack as its own authority")
struct EveryPackTests {
    /// An authority on one pack, with the people its procedure needs.
    struct Authority {
        let pack: ProcedurePack
        let organisationID: UUID
        let teamID: UUID
        let people: [String: Person]

        func email(_ key: String) -> String { people[key]!.email }
    }

    static func addAuthority(_ world: TestWorld, pack: ProcedurePack) async throws -> Authority {
        let db = world.app.db
        let org = Organisation(name: "Authority on \(pack.id)", packID: pack.id)
        try await org.create(on: db)
        let team = Team(organisationID: org.id!, name: "\(pack.id) assessment", locality: "Central")
        try await team.create(on: db)
        let hash = try Passwords.hash(TestWorld.password, cost: 4)
        let specs: [(String, Role, String, String, Bool)] = [
            ("social-worker", .socialWorker, "childrens-social-care", "social-worker", true),
            ("team-manager", .teamManager, "childrens-social-care", "team-manager", true),
            ("service-manager", .serviceManager, "childrens-social-care", "service-manager", false),
            ("minute-taker", .minuteTaker, "childrens-social-care", "business-support", false),
            ("police", .partnerAgency, "police", "jcpit-manager", false),
            ("health", .partnerAgency, "health", "named-nurse", false),
            ("education", .partnerAgency, "education", "designated-safeguarding-lead", false),
        ]
        var people: [String: Person] = [:]
        for (key, role, agency, agencyRole, inTeam) in specs {
            let person = Person(organisationID: org.id!, teamID: inTeam ? team.id : nil, name: "\(key) of \(pack.id)",
                                email: "\(key)@\(pack.id).example", role: role, agency: agency, agencyRole: agencyRole,
                                passwordHash: hash)
            try await person.create(on: db)
            people[key] = person
        }
        return Authority(pack: pack, organisationID: org.id!, teamID: team.id!, people: people)
    }

    static func client(_ world: TestWorld, _ email: String) async throws -> APIClient {
        let reply = try await world.requestToken(email: email)
        #expect(reply.status == .created, "token for \(email): \(reply.text)")
        return APIClient(world: world, token: reply.string("token"))
    }

    /// Request → decision → booking → invitations → meeting → record → authorised → circulated.
    static func journey(_ world: TestWorld, _ authority: Authority) async throws -> UUID {
        let pack = authority.pack
        let worker = try await client(world, authority.email("social-worker"))
        var chair = try await client(world, authority.email("team-manager"))
        var minutes = try await client(world, authority.email("minute-taker"))
        var body = world.requestBody()
        body["team"] = authority.teamID.slug
        let created = try await worker.post("/discussions", body)
        #expect(created.status == .created, "\(pack.id) request: \(created.text)")
        let id = try #require(UUID(uuidString: created.string("id")))
        let path = "/discussions/\(id.slug)"
        let version = { (reply: APIClient.Reply) in
            (reply["discussion"] as? [String: Any])?["version"] as? Int ?? reply.int("version")
        }

        var step = try await chair.post(path + "/decision", ["convene": true, "expectedVersion": 1])
        #expect(step.status == .ok, "\(pack.id) decision: \(step.text)")
        let slots = try await minutes.get(path + "/slots?per=1")
        let offer = try #require((slots["items"] as? [[String: Any]])?.first, "\(pack.id): no slot offered \(slots.text)")
        let start = try #require(offer["start"] as? String)
        #expect(offer["afterDeadline"] as? Bool == false, "\(pack.id): the first slot is late: \(slots.text)")
        step = try await minutes.post(path + "/booking", [
            "slotStart": start, "format": "virtual", "details": "Video link", "chairId": authority.people["team-manager"]!.id!.slug,
            "teleconference": ["durationMinutes": 30, "dialIn": "0800 123 4567", "accessCode": "4821"],
            "expectedVersion": step.int("version"),
        ])
        #expect(step.status == .ok, "\(pack.id) booking: \(step.text)")
        step = try await minutes.post(path + "/invitations/send")
        #expect(step.status == .ok, "\(pack.id) send: \(step.text)")
        let invitees = try #require(try await minutes.get(path + "/invitations")["items"] as? [[String: Any]])

        // The meeting starts at its slot.
        world.clock.set(try #require(RFC3339.parse(start)))
        chair = try await client(world, authority.email("team-manager"))
        minutes = try await client(world, authority.email("minute-taker"))
        var state = try await chair.get(path)
        step = try await chair.put(path + "/attendance", [
            "startedAt": start, "attendance": invitees.map { ["invitationId": $0["id"]!, "mode": "virtual"] },
            "expectedVersion": version(state),
        ])
        #expect(step.status == .ok, "\(pack.id) attendance: \(step.text)")
        #expect((step["quoracy"] as? [String: Any])?["quorate"] as? Bool == true, "\(pack.id) not quorate: \(step.text)")

        var record = try await chair.get(path + "/record")
        let agenda = try #require(record["agenda"] as? [[String: Any]]).compactMap { $0["key"] as? String }
        let checklist = try #require(record["checklist"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        // The authority's own pack drives its record.
        #expect(Set(checklist) == Set(pack.checklist.map(\.id)), "\(pack.id) checklist")
        step = try await chair.put(path + "/agenda", [
            "sections": Dictionary(uniqueKeysWithValues: agenda.map { ($0, "Notes for \($0)") }), "expectedVersion": version(record),
        ])
        #expect(step.status == .ok, "\(pack.id) agenda: \(step.text)")
        step = try await chair.put(path + "/checklist", [
            "checklist": Dictionary(uniqueKeysWithValues: checklist.map { ($0, ["response": "yes"]) }), "expectedVersion": step.int("version"),
        ])
        #expect(step.status == .ok, "\(pack.id) checklist: \(step.text)")
        state = try await chair.get(path)
        let child = try #require(((state["children"] as? [[String: Any]])?.first?["id"]) as? String)
        step = try await chair.put(path + "/decisions/\(child)", [
            "decision": APILifecycleTests.completeDecision, "expectedVersion": step.int("version"),
        ])
        #expect(step.status == .ok, "\(pack.id) decisions: \(step.text)")
        let due = EuropeLondon.localDate(of: world.clock.now).adding(days: 3).description
        step = try await chair.post(path + "/actions", [
            "kind": "action", "what": "Visit and see the child alone", "ownerId": authority.people["social-worker"]!.id!.slug,
            "due": due, "purpose": "Hear the child's wishes and feelings", "review": "At the review discussion", "childId": child,
        ])
        #expect(step.status == .created, "\(pack.id) action: \(step.text)")
        step = try await chair.post(path + "/actions", [
            "kind": "safety-plan", "term": "immediate", "what": "Child stays with her grandmother", "owner": "Nadia Khan",
            "agency": "childrens-social-care", "due": due, "purpose": "Keep the child safe",
        ])
        #expect(step.status == .created, "\(pack.id) safety plan: \(step.text)")
        state = try await chair.get(path)
        step = try await chair.put(path + "/monitoring", [
            "monitoredBy": "The team manager, at weekly supervision", "expectedVersion": version(state),
        ])
        #expect(step.status == .ok, "\(pack.id) monitoring: \(step.text)")
        record = try await chair.get(path + "/record")
        #expect((record["missing"] as? [Any])?.isEmpty == true, "\(pack.id) still missing: \(record["missing"] ?? "")")
        step = try await chair.post(path + "/finalise", ["expectedVersion": step.int("version")])
        #expect(step.status == .ok, "\(pack.id) finalise: \(step.text)")
        step = try await chair.post(path + "/authorise", ["expectedVersion": version(step)])
        #expect(step.status == .ok, "\(pack.id) authorise: \(step.text)")
        step = try await minutes.post(path + "/circulate", ["expectedVersion": version(step)])
        #expect(step.status == .ok, "\(pack.id) circulate: \(step.text)")
        #expect((step["discussion"] as? [String: Any])?["stage"] as? String == "circulated", "\(pack.id): \(step.text)")
        return id
    }

    @Test("Five authorities, one per pack, side by side: each takes a discussion from request to circulated minutes through the API")
    func everyPackThroughTheAPI() async throws {
        try await TestWorld.run(start: "2026-11-23T09:00:00Z") { world in
            var authorities: [Authority] = []
            for pack in Packs.library.packs.sorted(by: { $0.id < $1.id }) {
                authorities.append(try await Self.addAuthority(world, pack: pack))
            }
            #expect(Set(authorities.map(\.pack.id)) == ["front-door", "bradford", "hertfordshire", "devon-mash", "north-yorkshire"])
            var held: [String: UUID] = [:]
            for authority in authorities {
                held[authority.pack.id] = try await Self.journey(world, authority)
            }
            // Each authority sees only its own discussion, run under its own pack's deadlines.
            for authority in authorities {
                let id = try #require(held[authority.pack.id])
                let d = try await world.discussion(id)
                #expect(d.organisationID == authority.organisationID)
                #expect(d.stage == .circulated)
                let timeline = try #require(try await CaseTimeline.load(caseID: d.$case.id, on: world.app.db))
                let duties = timeline.duties(pack: authority.pack, asOf: world.clock.now)
                #expect(Set(duties.map(\.duty)).isSubset(of: Set(authority.pack.duties)), "\(authority.pack.id)")
                let other = try #require(authorities.first { $0.pack.id != authority.pack.id })
                let outsider = try await Self.client(world, other.email("team-manager"))
                #expect(try await outsider.get("/discussions/\(id.slug)").status == .notFound, "\(authority.pack.id) leaked")
            }
            #expect(try await AuditTrail.verify(on: world.app.db).ok)
        }
    }
}
