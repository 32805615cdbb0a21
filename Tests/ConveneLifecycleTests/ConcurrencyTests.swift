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
    @Test("A team's list, an authority's list and the meetings a person was invited to read their indexes, not every discussion's row")
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
            // Everything the manager sees (the API's list): the team's a page from its index, the
            // invitations a page from theirs (in deadline order, the team's own passed over).
            let seen = DiscussionList(scope: scope)
            for (name, list, index, invitations) in [
                ("team", team, "discussions_team_list", nil), ("authority", authority, "discussions_organisation_list", nil),
                ("invited", invited, "discussions_id_list", "invitations_person_slot"),
                ("seen", seen, "discussions_team_list", "invitations_person_due"),
            ] {
                let plan = try await list.queryPlan(0..<50, on: world.db)
                guard !plan.isEmpty else { continue } // PostgreSQL plans by its own statistics.
                let discussionSteps = plan.filter { $0.contains(" discussions ") }
                #expect(discussionSteps.contains { $0.contains("COVERING INDEX \(index)") }, "\(name): \(plan)")
                // The team's page also reads, a stage at a time, those in its stages without a
                // deadline (StageSplitTests): from the stage index, rows only for those.
                #expect(!discussionSteps.contains {
                    $0.contains("SCAN discussions") || !($0.contains("COVERING") || $0.contains("discussions_team_stage_due"))
                }, "\(name): \(plan)")
                if let invitations {
                    #expect(plan.contains { $0.contains("COVERING INDEX \(invitations)") }, "\(name): \(plan)")
                    #expect(!plan.contains { $0.contains("SCAN i") }, "\(name): \(plan)")
                    // The meetings from now on: the invitations' index is entered at now.
                    if name == "invited" { #expect(plan.contains { $0.contains("slot_start>?") && $0.contains(invitations) }, "\(plan)") }
                }
                // The rows still come back through the same query.
                _ = try await list.rows(0..<50, on: world.db)
            }
        }
    }
}

@Suite("A person's own lists a stage at a time (issue 12, migration 012)")
struct StageSplitTests {
    @Test("Meetings a person chairs, minutes or requested, in several stages: each stage read in deadline order from the person's index, merged in order and paged, nobody else's")
    func ownListsByStage() async throws {
        try await LifecycleWorld.run { world in
            let manager = try #require(world.people[.teamManager]?.id)
            let other = try #require(world.people[.otherTeamSocialWorker]?.id)
            let sql = try #require(world.db as? any SQLDatabase)
            var ids: [UUID] = []
            for _ in 0..<10 { ids.append(try await world.request()) }
            // Stages in turn, deadlines running backwards, so that neither the stage nor the
            // order of creation gives the list's order; d8 and d9 are chaired by someone else.
            let stages: [DiscussionStage] = [.booked, .inMeeting, .recordFinal, .circulated]
            let start = world.clock.now.addingTimeInterval(86_400)
            for (n, id) in ids.enumerated() {
                let due = start.addingTimeInterval(Double(ids.count - n) * 3_600)
                try await sql.raw("""
                    UPDATE discussions SET stage = \(bind: stages[n % stages.count].rawValue), next_due = \(bind: due), \
                    chair_id = \(bind: n < 8 ? manager : other), minute_taker_id = \(bind: n < 8 ? manager : other) WHERE id = \(bind: id)
                    """).run()
            }
            let scope = DiscussionListScope(organisationID: world.organisationID, personID: manager, organisationWide: true, teamID: nil,
                                            invitationScope: nil, now: world.clock.now)
            // d0–d7 are the manager's; of those, the circulated (d3, d7) are not asked for.
            let expected = [6, 5, 4, 2, 1, 0].map { ids[$0] }
            for (name, index, set) in [("chairing", "discussions_chair_due", { (list: inout DiscussionList) in list.chairID = manager }),
                                       ("minuting", "discussions_minute_taker_due", { (list: inout DiscussionList) in list.minuteTakerID = manager })] {
                var list = DiscussionList(scope: scope)
                list.organisation = world.organisationID
                list.stages = [.booked, .inMeeting, .recordFinal, .booked]
                set(&list)
                #expect(try await list.rows(0..<20, on: world.db).map(\.id) == expected, "\(name)")
                var paged: [UUID] = []
                for first in stride(from: 0, to: 8, by: 2) { paged += try await list.rows(first..<(first + 2), on: world.db).map(\.id) }
                #expect(paged == expected, "\(name)")
                #expect(try await list.count(on: world.db) == 6, "\(name)")
                let plan = try await list.queryPlan(0..<20, on: world.db)
                if !plan.isEmpty { // PostgreSQL plans by its own statistics.
                    #expect(plan.filter { $0.contains(" discussions ") }.allSatisfy { $0.contains(index) }, "\(name): \(plan)")
                }
            }
            // A team's and an authority's in given stages (to decide, to book, to circulate):
            // every discussion here is the team's, so both list the same.
            for (name, index, team) in [("team", "discussions_team_stage_due", world.teamID as UUID?),
                                        ("authority", "discussions_organisation_stage_due", nil)] {
                var list = DiscussionList(scope: scope)
                list.organisation = world.organisationID
                list.team = team
                list.stages = [.inMeeting, .booked]
                #expect(try await list.rows(0..<20, on: world.db).map(\.id) == [9, 8, 5, 4, 1, 0].map { ids[$0] }, "\(name)")
                #expect(try await list.rows(1..<3, on: world.db).map(\.id) == [8, 5].map { ids[$0] }, "\(name)")
                list.stages = [.recordFinal]
                #expect(try await list.rows(0..<20, on: world.db).map(\.id) == [6, 2].map { ids[$0] }, "\(name)")
                let plan = try await list.queryPlan(0..<20, on: world.db)
                if !plan.isEmpty {
                    #expect(plan.filter { $0.contains(" discussions ") }.allSatisfy { $0.contains(index) }, "\(name): \(plan)")
                }
            }
            // Those the social worker requested, all open stages at once.
            var requested = DiscussionList(scope: scope)
            requested.organisation = world.organisationID
            requested.stages = DiscussionStage.allCases.filter(\.isOpen).filter { $0 != .circulated }
            requested.requestedBy = try #require(world.people[.socialWorker]?.id)
            let mine = try await requested.rows(0..<20, on: world.db).map(\.id)
            #expect(Set(mine) == Set([0, 1, 2, 4, 5, 6, 8, 9].map { ids[$0] }))
            #expect(mine == [9, 8, 6, 5, 4, 2, 1, 0].map { ids[$0] })
            let plan = try await requested.queryPlan(0..<20, on: world.db)
            if !plan.isEmpty {
                #expect(plan.filter { $0.contains(" discussions ") }.allSatisfy { $0.contains("discussions_requester_due") }, "\(plan)")
            }
            // The team page: open stages or a deadline still running. d0 (booked) has no
            // deadline and is listed; d3 (circulated) has none and is not; d7 (circulated) has
            // one and is. The same as one query over the same discussions gives (by id, which
            // is never split), nulls where each database puts them.
            try await sql.raw("UPDATE discussions SET next_due = NULL WHERE id IN (\(bind: ids[0]), \(bind: ids[3]))").run()
            var page = DiscussionList(scope: scope)
            page.organisation = world.organisationID
            page.team = world.teamID
            page.stages = [.requested, .awaitingBooking, .booked, .inMeeting, .recordFinal, .authorised]
            page.stagesOrDeadline = true
            var reference = page
            reference.ids = ids
            let whole = try await reference.rows(0..<20, on: world.db).map(\.id)
            #expect(Set(whole) == Set(ids.filter { $0 != ids[3] }))
            #expect(try await page.rows(0..<20, on: world.db).map(\.id) == whole)
            var paged: [UUID] = []
            for first in stride(from: 0, to: 10, by: 3) { paged += try await page.rows(first..<(first + 3), on: world.db).map(\.id) }
            #expect(paged == whole)
            #expect(try await page.count(on: world.db) == 9)
            #expect(try await reference.count(on: world.db) == 9)
            let pagePlan = try await page.queryPlan(0..<20, on: world.db)
            if !pagePlan.isEmpty {
                #expect(!pagePlan.contains { $0.contains("SCAN discussions") }, "\(pagePlan)")
                #expect(pagePlan.contains { $0.contains("discussions_team_list") && $0.contains("next_due>?") }, "\(pagePlan)")
            }
        }
    }
}

@Suite("Lists of what a person sees several ways (issue 12)")
struct ListWaysTests {
    @Test("Team, invitations and grants merged: each discussion once, in deadline order, the same page by page, counted once")
    func severalWays() async throws {
        try await LifecycleWorld.run { world in
            var ids: [UUID] = []
            for _ in 0..<9 { ids.append(try await world.request(as: .otherTeamSocialWorker)) }
            let manager = try #require(world.people[.teamManager]?.id)
            let sql = try #require(world.db as? any SQLDatabase)
            // d0–d2 in the manager's team; d3–d8 in the other team. Deadlines run backwards
            // from d8 to d0, so the list's order is not the order of creation.
            let start = world.clock.now.addingTimeInterval(86_400)
            for (n, id) in ids.enumerated() {
                let team = n < 3 ? world.teamID : world.otherTeamID
                let due = start.addingTimeInterval(Double(ids.count - n) * 3_600)
                try await sql.raw("UPDATE discussions SET team_id = \(bind: team), next_due = \(bind: due) WHERE id = \(bind: id)").run()
            }
            // Invited to d2 (also the team's: listed once), d3 and d4; a current grant for d5,
            // an expired one for d6; d7 and d8 not seen at all.
            for n in [2, 3, 4] {
                try await Invitation(discussionID: ids[n], organisationID: world.organisationID, personID: manager, name: "Manager",
                                     email: "m@northtown.example", agency: "childrens-social-care", role: "team-manager",
                                     rule: "test", reason: "test").create(on: world.db)
            }
            for (n, expires) in [(5, 3_600.0), (6, -60.0)] {
                try await AccessGrant(organisationID: world.organisationID, personID: manager, discussionID: ids[n], kind: .breakGlass,
                                      purpose: "test", grantedBy: manager, startsAt: world.clock.now.addingTimeInterval(-7_200),
                                      expiresAt: world.clock.now.addingTimeInterval(expires)).create(on: world.db)
            }
            let list = DiscussionList(scope: DiscussionListScope(organisationID: world.organisationID, personID: manager,
                                                                 organisationWide: false, teamID: world.teamID, invitationScope: nil,
                                                                 now: world.clock.now))
            let expected = [5, 4, 3, 2, 1, 0].map { ids[$0] }
            #expect(try await list.count(on: world.db) == 6)
            #expect(try await list.rows(0..<50, on: world.db).map(\.id) == expected)
            var paged: [UUID] = []
            for first in stride(from: 0, to: 8, by: 2) { paged += try await list.rows(first..<(first + 2), on: world.db).map(\.id) }
            #expect(paged == expected)
            // Filters apply to every way.
            var some = list
            some.ids = [ids[0], ids[2], ids[5], ids[6], ids[7]]
            #expect(try await some.count(on: world.db) == 3)
            #expect(try await some.rows(0..<50, on: world.db).map(\.id) == [5, 2, 0].map { ids[$0] })
            var none = list
            none.stages = [.circulated]
            #expect(try await none.count(on: world.db) == 0)
            #expect(try await none.rows(0..<50, on: world.db).isEmpty)
            // Every invitation carries its discussion's team, reference, meeting time and next
            // deadline (what the invitations way is read and skipped by), kept whenever the
            // discussion is saved.
            struct Mirror: Decodable { let same: Int; let total: Int }
            func mirrored() async throws -> Bool {
                let row = try await sql.raw("""
                    SELECT COUNT(*) AS total, SUM(CASE WHEN i.team_id = d.team_id AND i.reference = d.reference \
                    AND (i.next_due = d.next_due OR (i.next_due IS NULL AND d.next_due IS NULL)) \
                    AND (i.slot_start = d.slot_start OR (i.slot_start IS NULL AND d.slot_start IS NULL)) THEN 1 ELSE 0 END) AS same \
                    FROM invitations i JOIN discussions d ON d.id = i.discussion_id
                    """).first(decoding: Mirror.self)
                return row.map { $0.total > 0 && $0.same == $0.total } ?? false
            }
            #expect(try await mirrored())
            // d4 moves into the manager's team with the soonest deadline: first, listed once.
            let moved = try #require(try await Discussion.find(ids[4], on: world.db))
            moved.teamID = world.teamID
            moved.nextDue = start
            try await moved.save(on: world.db)
            #expect(try await mirrored())
            #expect(try await list.rows(0..<50, on: world.db).map(\.id) == [4, 5, 3, 2, 1, 0].map { ids[$0] })
            #expect(try await list.count(on: world.db) == 6)
            // d3 moves away from the meeting time and deadline it had: the invitations way follows.
            let later = try #require(try await Discussion.find(ids[3], on: world.db))
            later.nextDue = start.addingTimeInterval(30 * 86_400)
            try await later.save(on: world.db)
            #expect(try await mirrored())
            #expect(try await list.rows(0..<50, on: world.db).map(\.id) == [4, 5, 2, 1, 0, 3].map { ids[$0] })
            #expect(try await list.rows(4..<6, on: world.db).map(\.id) == [0, 3].map { ids[$0] })
            // A grant to one the team's way lists already, and to one the manager is invited to:
            // still each once, counted once.
            for n in [0, 3] {
                try await AccessGrant(organisationID: world.organisationID, personID: manager, discussionID: ids[n], kind: .breakGlass,
                                      purpose: "test", grantedBy: manager, startsAt: world.clock.now.addingTimeInterval(-60),
                                      expiresAt: world.clock.now.addingTimeInterval(3_600)).create(on: world.db)
            }
            #expect(try await list.count(on: world.db) == 6)
            #expect(try await list.rows(0..<50, on: world.db).map(\.id) == [4, 5, 2, 1, 0, 3].map { ids[$0] })
        }
    }

    @Test("A person invited twice to one discussion (a row added in the database) sees it once, counted once")
    func invitedTwice() async throws {
        try await LifecycleWorld.run { world in
            let manager = try #require(world.people[.teamManager]?.id)
            var ids: [UUID] = []
            for _ in 0..<3 { ids.append(try await world.request(as: .otherTeamSocialWorker)) }
            let sql = try #require(world.db as? any SQLDatabase)
            try await sql.raw("UPDATE discussions SET team_id = \(bind: world.otherTeamID)").run()
            // Operations refuse a second invitation of the same person; the database does not.
            for n in [0, 1, 1, 1, 2] {
                try await Invitation(discussionID: ids[n], organisationID: world.organisationID, personID: manager, name: "Manager",
                                     email: "m@northtown.example", agency: "childrens-social-care", role: "team-manager",
                                     rule: "test", reason: "test").create(on: world.db)
            }
            let scope = DiscussionListScope(organisationID: world.organisationID, personID: manager, organisationWide: false,
                                            teamID: world.teamID, invitationScope: nil, now: world.clock.now)
            var invited = DiscussionList(scope: scope)
            invited.invitedOnly = true
            for list in [DiscussionList(scope: scope), invited] {
                #expect(try await list.count(on: world.db) == 3)
                let rows = try await list.rows(0..<50, on: world.db).map(\.id)
                #expect(rows.count == 3)
                #expect(Set(rows) == Set(ids))
            }
        }
    }
}
