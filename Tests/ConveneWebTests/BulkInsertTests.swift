import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import ConveneTestSupport
import SQLKit
import Vapor
import Testing

/// The seeder's reflection-free multi-row inserts (`bulkInsert`): each model's hand-written
/// column list must be exactly its Fluent fields, and a row written this way must read back
/// through Fluent as the model that was written, and be found by Fluent's filters, on SQLite and
/// (in CI) PostgreSQL.
@Suite("Bulk inserts")
struct BulkInsertTests {
    static func columns<M: BulkInsertable>(_ model: M.Type) -> (listed: [String], fields: Set<String>) {
        (M.bulkColumns, Set(M.keys.map(\.description)))
    }

    @Test("Every bulk-insertable model lists each of its Fluent fields once, and nothing else")
    func columnsMatchFields() {
        let all = [Self.columns(Case.self), Self.columns(CaseChild.self), Self.columns(Discussion.self),
                   Self.columns(Invitation.self), Self.columns(ChildDecisionRecord.self), Self.columns(ActionRecord.self),
                   Self.columns(SlotCell.self), Self.columns(CalendarCell.self), Self.columns(RecordVersion.self),
                   Self.columns(DiscussionFactsRecord.self), Self.columns(AuditEntry.self)]
        for (listed, fields) in all {
            #expect(Set(listed) == fields, "listed \(listed.sorted()) but the model has \(fields.sorted())")
            #expect(listed.count == Set(listed).count, "a column is listed twice in \(listed)")
        }
    }

    /// A model as Fluent would encode it for an API, without the timestamps the database sets.
    static func fields(_ model: some Model) throws -> [String: String] {
        let data = try JSONEncoder().encode(model)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var result: [String: String] = [:]
        for (key, value) in object where !["createdAt", "updatedAt"].contains(key) {
            let json = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
            result[key] = String(decoding: json, as: UTF8.self)
        }
        return result
    }

    @Test("Rows written in bulk read back through Fluent as written, with NULLs for empty optionals")
    func roundTrip() async throws {
        try await TestWorld.run { world in
            let db = world.app.db
            let socialWorker = try #require(world.people[.socialWorker])
            let manager = try #require(world.people[.teamManager])
            let received = at("2026-03-28T23:30:00Z")  // the night before the clocks go forward
            let child = ChildDetails(name: "Amira Bulk", dateOfBirth: day("2019-02-28"), ethnicity: "Mixed", caseNumber: "LCS123456",
                                     address: "1 Mill Lane, North", lookedAfter: true)
            let unborn = ChildDetails(name: "Unborn baby Bulk", dateOfBirth: nil, unborn: true, expectedDate: day("2026-06-01"))
            let request = DiscussionRequest(caseType: .openCase, urgency: .immediate, concernReceivedAt: received, children: [child, unborn],
                                            presentingIssue: "Fracture in a non-mobile infant", incidentDate: day("2026-03-27"),
                                            rationale: "Reasonable cause (s47)", concerns: ["injury", "medical"], complex: true)
            let caseRecord = Case(id: UUID(), organisationID: world.organisationID, teamID: world.teamID, reference: "SD-2026-90001",
                                  request: request)
            let children = request.children.enumerated().map {
                CaseChild(caseID: caseRecord.id!, organisationID: world.organisationID, position: $0.offset, details: $0.element)
            }
            // One discussion with every optional filled, one (a review) with them empty.
            let full = Discussion(id: UUID(), organisationID: world.organisationID, teamID: world.teamID, caseID: caseRecord.id!,
                                  sequence: 1, parentID: nil, reference: "SD-2026-90001/1", request: request, requestedBy: socialWorker,
                                  requestedAt: received.addingTimeInterval(600))
            full.stage = .circulated
            full.decidedBy = manager
            full.decidedAt = at("2026-03-29T01:15:00Z")
            full.decisionReason = "Threshold met"
            full.slotStart = at("2026-03-29T09:00:00Z")
            full.slotEnd = at("2026-03-29T10:00:00Z")
            full.bookedBy = manager
            full.meetingFormat = "hybrid"
            full.chairID = manager
            full.minuteTakerID = socialWorker
            full.startedAt = full.slotStart
            full.quoracy = QuoracyCheck(quorate: false, urgentException: true, missing: ["health"], proceedReason: "Urgent",
                                        checkedAt: at("2026-03-29T09:01:00Z"))
            full.content = RecordContent(sections: ["purpose": "Keep the children safe"],
                                         checklist: ["chk-1": ChecklistAnswer(response: .yes)], monitoredBy: "Team manager")
            full.recordVersion = 2
            full.finalisedAt = at("2026-03-29T13:00:00Z")
            full.authorisedBy = manager
            full.authorisedAt = at("2026-03-29T15:00:00Z")
            full.circulatedAt = at("2026-03-30T08:00:00Z")
            full.nextDue = at("2026-04-10T16:00:00Z")
            full.nextDuty = "icpc"
            let review = Discussion(id: UUID(), organisationID: world.organisationID, teamID: world.teamID, caseID: caseRecord.id!,
                                    sequence: 2, parentID: full.id, reference: "SD-2026-90001/2", request: request,
                                    requestedBy: socialWorker, requestedAt: at("2026-04-02T10:00:00Z"))
            let invitation = Invitation(discussionID: full.id!, organisationID: world.organisationID, personID: manager, name: "Tara",
                                        email: "Tara@Northtown.example", agency: "childrens-social-care", role: "team-manager",
                                        rule: "ATT-ALL-01", reason: "Chair")
            invitation.sentAt = full.decidedAt
            invitation.attendance = .virtual
            invitation.circulatedVersion = 2
            invitation.circulatedAt = full.circulatedAt
            let guest = Invitation(discussionID: full.id!, organisationID: world.organisationID, personID: nil, name: "Guest",
                                   email: "guest@example.org", agency: "health", role: "gp", rule: "", reason: "", invited: false)
            var decision = ChildDecision()
            decision.significantHarm = .yes
            decision.outcome = .s47Joint
            let decisionRecord = ChildDecisionRecord(discussionID: full.id!, childID: child.id, decision: decision, updatedBy: manager)
            let action = ActionRecord(discussionID: full.id!, organisationID: world.organisationID, teamID: world.teamID, action: SmartAction(
                kind: .safetyPlan, term: .immediate, what: "Stay with grandparent", owner: "Grandparent", ownerPersonID: socialWorker,
                agency: "childrens-social-care", due: day("2026-03-29"), purpose: "Safety", review: "Daily", childID: child.id,
                status: .done, statusNote: "Done", completedAt: at("2026-03-29T18:00:00Z")))
            let bare = ActionRecord(discussionID: full.id!, organisationID: world.organisationID, teamID: world.teamID, action: SmartAction(
                what: "Visit", owner: "Sam", agency: "childrens-social-care", due: nil, purpose: "See the child", review: "",
                status: .open))
            let cells = CalendarCell.cells(from: full.slotStart!, to: full.slotEnd!).map {
                CalendarCell(organisationID: world.organisationID, resource: CalendarCell.organisation(world.organisationID), lane: 0,
                             cellStart: $0, discussionID: full.id!)
            }

            try await db.transaction { tx in
                try await [caseRecord].bulkInsert(on: tx)
                try await children.bulkInsert(on: tx)
                try await [full, review].bulkInsert(on: tx)
                try await [invitation, guest].bulkInsert(on: tx)
                try await [decisionRecord].bulkInsert(on: tx)
                try await [action, bare].bulkInsert(on: tx)
                try await cells.bulkInsert(on: tx)
            }
            #expect(guest.id != nil && decisionRecord.id != nil && cells.allSatisfy { $0.id != nil }, "ids are given before the insert")

            try #expect(Self.fields(try #require(try await Case.find(caseRecord.id, on: db))) == Self.fields(caseRecord))
            for written in children {
                try #expect(Self.fields(try #require(try await CaseChild.find(written.id, on: db))) == Self.fields(written))
            }
            for written in [full, review] {
                try #expect(Self.fields(try #require(try await Discussion.find(written.id, on: db))) == Self.fields(written))
            }
            for written in [invitation, guest] {
                try #expect(Self.fields(try #require(try await Invitation.find(written.id, on: db))) == Self.fields(written))
            }
            try #expect(Self.fields(try #require(try await ChildDecisionRecord.find(decisionRecord.id, on: db)))
                        == Self.fields(decisionRecord))
            for written in [action, bare] {
                try #expect(Self.fields(try #require(try await ActionRecord.find(written.id, on: db))) == Self.fields(written))
            }
            #expect(try await CalendarCell.query(on: db).filter(\.$discussionID == full.id!).count() == 4)

            // Stored as Fluent stores them: Fluent's own filters find the rows.
            let byFields = try await Discussion.query(on: db).filter(\.$stage == .circulated).filter(\.$urgency == .immediate)
                .filter(\.$slotStart == at("2026-03-29T09:00:00Z")).filter(\.$chairID == manager).all()
            #expect(byFields.map(\.id) == [full.id])
            let empties = try await Discussion.query(on: db).filter(\.$slotStart == nil).filter(\.$quoracy == nil).all()
            #expect(empties.map(\.id) == [review.id])
            let withoutDue = try await ActionRecord.query(on: db).filter(\.$due == nil).filter(\.$term == nil).all()
            #expect(withoutDue.map(\.id) == [bare.id])
            let created = try #require(try await Discussion.find(full.id, on: db)?.createdAt)
            #expect(abs(created.timeIntervalSinceNow) < 600, "created_at is set when written")
        }
    }

    @Test("The seeder writes every stage, and Fluent reads each discussion back with its children, invitations and actions")
    func seederRows() async throws {
        try await TestWorld.run { world in
            let db = world.app.db
            let organisation = try #require(try await Organisation.find(world.organisationID, on: db))
            let team = try #require(try await Team.find(world.teamID, on: db))
            let person = { (who: Who) in try #require(try await Person.find(world.people[who], on: db)) }
            let staff = SyntheticData.Staff(socialWorkers: [try await person(.socialWorker)], managers: [try await person(.teamManager)],
                                            serviceManagers: [try await person(.serviceManager)],
                                            minuteTakers: [try await person(.minuteTaker)],
                                            partners: [try await person(.police), try await person(.health)])
            var generator = SyntheticData(seed: 7)
            let stages: [DiscussionStage] = [.requested, .awaitingBooking, .booked, .inMeeting, .recordFinal, .authorised, .circulated,
                                             .declined, .cancelled]
            try await generator.discussions(count: 18, organisation: organisation, pack: world.app.convene.packs.pack("bradford")!,
                                            teams: [team], staff: staff, now: world.clock.now, referenceStart: 500, stages: stages,
                                            on: db)
            let discussions = try await Discussion.query(on: db).with(\.$case) { $0.with(\.$children) }.all()
            #expect(discussions.count == 18)
            #expect(Set(discussions.map(\.stage)) == Set(stages))
            for d in discussions {
                #expect(!d.case.children.isEmpty, "\(d.reference) has no children")
                let invitations = try await Invitation.query(on: db).filter(\.$discussion.$id == d.id!).count()
                let held = [.inMeeting, .recordFinal, .authorised, .circulated].contains(d.stage)
                #expect((invitations > 0) == (held || d.stage == .booked || d.stage == .cancelled), "\(d.reference) \(d.stage)")
                if held {
                    #expect(d.startedAt != nil && d.quoracy != nil)
                    #expect(try await ActionRecord.query(on: db).filter(\.$discussion.$id == d.id!).count() == 2)
                    #expect(try await ChildDecisionRecord.query(on: db).filter(\.$discussion.$id == d.id!).count()
                            == d.case.children.count)
                }
            }
            // Finalised records have the versions the real flow keeps; circulated minutes open for an invitee.
            for d in discussions {
                let kinds = try await RecordVersion.query(on: db).filter(\.$discussion.$id == d.id!).sort(\.$number).all().map(\.kind)
                switch d.stage {
                case .recordFinal: #expect(kinds == [.final], "\(d.reference)")
                case .authorised, .circulated: #expect(kinds == [.final, .authorised], "\(d.reference)")
                default: #expect(kinds.isEmpty, "\(d.reference)")
                }
            }
            let circulated = try #require(discussions.first { $0.stage == .circulated })
            let invited = try await Invitation.query(on: db).filter(\.$discussion.$id == circulated.id!).all().compactMap(\.personID)
            let partner = try #require([Who.police, .health].first { invited.contains(world.people[$0]!) })
            let minutes = try await world.browser(partner).get("/discussions/\(circulated.id!)/minutes")
            #expect(minutes.status == .ok)
            #expect(minutes.plainText.contains("Version 2, authorised"), "\(minutes.plainText.prefix(600))")
            #expect(minutes.plainText.contains(try #require(circulated.request.children.first).name))
            // Booked meetings hold their slot cells, so a new booking cannot overlap them (SLOT-ALL-01).
            let booked = discussions.filter { $0.stage == .booked }
            #expect(try await CalendarCell.query(on: db).count() == booked.count * 4)
            // The performance facts (issue 13) go in with the rows, and are exactly what the writer
            // would work out from them: `convene oversight rebuild` finds nothing to change.
            let ids = Set(discussions.compactMap(\.id))
            let seeded = try await DiscussionFactsRecord.query(on: db).all().filter { ids.contains($0.id!) }
            #expect(seeded.count == 18)
            _ = try await OversightRebuild.run(world.app.lifecycleContext(acting: .system("test")), only: [world.organisationID])
            let rebuilt = try await DiscussionFactsRecord.query(on: db).all().filter { ids.contains($0.id!) }
            let before = Dictionary(uniqueKeysWithValues: seeded.map { ($0.id!, $0.facts) })
            #expect(rebuilt.count == 18)
            for row in rebuilt {
                #expect(before[row.id!] == row.facts, "\(row.facts.reference)")
            }
        }
    }

    /// Every connection's durability and checkpoint settings, asked often enough to reach each
    /// connection of the pool (each `app.db` is the next connection in turn).
    static func connectionSettings(_ app: Application) async throws -> Set<String> {
        var seen = Set<String>()
        for _ in 0..<24 {
            guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return [] }
            let synchronous = try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
            let checkpoint = try await sql.raw("PRAGMA wal_autocheckpoint").first()?.decode(column: "wal_autocheckpoint", as: Int.self)
            seen.insert("synchronous \(synchronous ?? -1), checkpoint every \(checkpoint ?? -1) pages")
        }
        return seen
    }

    @Test("A bulk load's batch commits in one transaction; a failed batch leaves nothing; either way its connection goes back to the pool with fsync at every commit and SQLite's own checkpoints")
    func bulkLoadBatches() async throws {
        try await TestWorld.run { world in
            let db = world.app.db
            let request = DiscussionRequest(caseType: .newReferral, urgency: .standard, concernReceivedAt: at("2026-10-25T00:30:00Z"),
                                            presentingIssue: "Bulk load", rationale: "s47")
            func cases(_ range: Range<Int>) -> [Case] {
                range.map { Case(id: UUID(), organisationID: world.organisationID, teamID: world.teamID, reference: "SD-2026-9\($0)",
                                 request: request) }
            }
            let before = try await Case.query(on: db).count()
            let usual: Set<String> = try await Self.connectionSettings(world.app)
            // Batch 32 is one of those after which the log is copied into the file (RESTART).
            for (batch, range) in [(1, 0..<40), (32, 40..<80)] {
                try await BulkLoad.write([try cases(range).bulkRows(for: db)], batch: batch, on: db)
            }
            #expect(try await Case.query(on: db).count() == before + 80)
            #expect(try await Case.query(on: db).filter(\.$reference == "SD-2026-979").count() == 1)
            #expect(try await Self.connectionSettings(world.app) == usual, "after batches that committed")
            // A batch whose second table repeats an id already written fails as a whole.
            let fresh = cases(100..<110)
            let repeated = try #require(try await Case.query(on: db).filter(\.$reference == "SD-2026-90").first())
            let clash = Case(id: repeated.id!, organisationID: world.organisationID, teamID: world.teamID, reference: "SD-2026-9999",
                             request: request)
            await #expect(throws: (any Error).self) {
                try await BulkLoad.write([try fresh.bulkRows(for: db), try [clash].bulkRows(for: db)], batch: 3, on: db)
            }
            #expect(try await Case.query(on: db).count() == before + 80)
            #expect(try await Case.query(on: db).filter(\.$reference == "SD-2026-9100").count() == 0)
            // SQLite's defaults in this store: synchronous FULL (2), a checkpoint every 1,000 pages.
            if let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" {
                #expect(usual == ["synchronous 2, checkpoint every 1000 pages"])
            }
            #expect(try await Self.connectionSettings(world.app) == usual, "after a batch that failed")
        }
    }
}
