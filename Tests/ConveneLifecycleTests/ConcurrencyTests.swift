import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import SQLKit
import Testing

@Suite("Reads and changes side by side (issue 12): several connections to one database, one unbroken audit chain")
struct ConcurrencyTests {
    @Test("CONVENE_SQLITE_CONNECTIONS: 8 by default, a whole number from 2 to 64 as given, anything else stops the start naming it")
    func connectionSetting() throws {
        #expect(try DatabaseLocation.sqliteConnections([:]) == 8)
        #expect(try DatabaseLocation.sqliteConnections(["CONVENE_SQLITE_CONNECTIONS": " 16 "]) == 16)
        for bad in ["many", "1", "65", "-3", "9999999999999999999999", "8.5"] {
            do {
                _ = try DatabaseLocation.sqliteConnections(["CONVENE_SQLITE_CONNECTIONS": bad])
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.field.description == "CONVENE_SQLITE_CONNECTIONS", "\(bad): \(error)")
            }
        }
    }

    @Test("Concurrent logged reads and audited changes all land in one chain that verifies; none fails on a busy database")
    func readsBesideChanges() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let before = try await AuditTrail.head(on: world.db).seq
            let reader = Actor(id: nil, name: "reader", organisationID: world.organisationID, ip: "127.0.0.1")
            let writer = Actor(id: nil, name: "writer", organisationID: world.organisationID, ip: "127.0.0.1")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<40 {
                    group.addTask {
                        // A read: the discussion and its case, then its entry in the read log.
                        let discussion = try #require(try await Discussion.find(id, on: world.db))
                        _ = try await CaseChild.query(on: world.db).filter(\.$case.$id == discussion.$case.id).all()
                        try await world.db.audit([AuditRecord("view", "discussion", id: id, detail: "read \(n)")], by: reader)
                    }
                    if n % 4 == 0 {
                        group.addTask {
                            try await world.db.audited(by: writer) { _ in ((), [AuditRecord("change", "test", detail: "change \(n)")]) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let after = try await AuditTrail.head(on: world.db).seq
            #expect(after - before == 50)
            let verification = try await AuditTrail.verify(on: world.db)
            #expect(verification.ok, "\(verification.problems)")
            let reads = try await AuditEntry.query(on: world.db).filter(\.$seq > before).filter(\.$action == "view").count()
            #expect(reads == 40)
        }
    }

    @Test("Every connection to a SQLite file waits for the write lock by sleeping, up to ten seconds, instead of spinning, and reads through a memory map")
    func busyTimeoutOnEveryConnection() async throws {
        try await LifecycleWorld.run { world in
            guard let sql = world.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
            struct Row: Decodable { let timeout: Int }
            struct Mapped: Decodable { let mmap_size: Int }
            // The world's database hands each query to the next of its three connections.
            for _ in 0..<6 {
                let row = try #require(try await sql.raw("PRAGMA busy_timeout").first(decoding: Row.self))
                #expect(row.timeout == 10_000)
                let mapped = try #require(try await sql.raw("PRAGMA mmap_size").first(decoding: Mapped.self))
                #expect(mapped.mmap_size == 1 << 30)
            }
        }
    }
}

@Suite("Lists read from covering indexes (issue 12, migration 009)")
struct ListIndexTests {
    @Test("A team's list, an authority's list and the meetings a person was invited to never read a discussion's row")
    func coveringIndexes() async throws {
        try await LifecycleWorld.run { world in
            _ = try await world.request()
            let manager = try #require(world.people[.teamManager]?.id)
            let scope = DiscussionListScope(organisationID: world.organisationID, personID: manager, organisationWide: false,
                                            teamID: world.teamID, invitationScope: nil, now: world.clock.now)
            var team = DiscussionList(scope: scope)
            team.organisation = world.organisationID
            team.team = world.teamID
            team.stages = [.requested, .awaitingBooking, .booked]
            team.stagesOrDeadline = true
            var authority = DiscussionList(scope: DiscussionListScope(
                organisationID: world.organisationID, personID: manager, organisationWide: true, teamID: nil, invitationScope: nil,
                now: world.clock.now))
            authority.organisation = world.organisationID
            var invited = DiscussionList(scope: scope)
            invited.invitedOnly = true
            invited.stages = [.booked, .inMeeting]
            invited.slotFrom = world.clock.now
            invited.order = .slot
            for (name, list, index) in [("team", team, "discussions_team_list"), ("authority", authority, "discussions_organisation_list"),
                                        ("invited", invited, "discussions_id_list")] {
                let plan = try await list.queryPlan(0..<50, on: world.db)
                guard !plan.isEmpty else { continue } // PostgreSQL plans by its own statistics.
                let discussionSteps = plan.filter { $0.contains(" discussions ") }
                #expect(discussionSteps.contains { $0.contains("COVERING INDEX \(index)") }, "\(name): \(plan)")
                #expect(!discussionSteps.contains { $0.contains("SCAN discussions") || !$0.contains("COVERING") }, "\(name): \(plan)")
                // The rows still come back through the same query.
                _ = try await list.rows(0..<50, on: world.db)
            }
        }
    }
}
