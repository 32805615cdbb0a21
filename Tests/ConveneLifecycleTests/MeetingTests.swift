import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("The meeting: agenda (AGN-*), checklist, decisions (DEC-*) and SMART actions (ACT-*)")
struct MeetingTests {
    @Test("Agenda notes: an item the procedure does not have is named; before the booking it is the wrong stage")
    func sections() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            let early = try await world.load(id, as: .teamManager, for: .recordMeeting)
            await expectWrongStage { try await Operations.saveSections(world.ctx(.teamManager), early, [:], expectedVersion: 0) }
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .teamManager, for: .recordMeeting)
            let version = try await world.version(id)
            await expectInvalid("sections.astrology") {
                try await Operations.saveSections(world.ctx(.teamManager), loaded, ["astrology": "x"], expectedVersion: version)
            }
            await expectConflict { try await Operations.saveSections(world.ctx(.teamManager), loaded, [:], expectedVersion: version + 1) }
            let item = try #require(loaded.pack.agenda.first { !$0.perChild })
            try await Operations.saveSections(world.ctx(.teamManager), loaded, [item.id: "  Shared  "], expectedVersion: version)
            let d = try await world.discussion(id)
            #expect(d.stage == .inMeeting && d.content.sections[item.id] == "Shared")
        }
    }

    @Test("Checklist: an unknown item is named, and an item not covered needs a reason")
    func checklist() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .teamManager, for: .recordMeeting)
            let version = try await world.version(id)
            await expectInvalid("checklist.astrology") {
                try await Operations.saveChecklist(world.ctx(.teamManager), loaded, ["astrology": .init(response: .yes)], expectedVersion: version)
            }
            let required = try #require(loaded.pack.checklist.first { $0.requiredForFinal })
            await expectInvalid("checklist.\(required.id).note") {
                try await Operations.saveChecklist(world.ctx(.teamManager), loaded, [required.id: .init(response: .no)], expectedVersion: version)
            }
            try await Operations.saveChecklist(world.ctx(.teamManager), loaded, [required.id: .init(response: .yes)], expectedVersion: version)
            #expect(try await world.discussion(id).content.checklist.count == 1)
        }
    }

    @Test("ATT-ALL-03: decisions wait for the quoracy check; an unknown child is not found; a deferral needs its date")
    func decisions() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            var loaded = try await world.load(id, as: .teamManager, for: .recordMeeting)
            let child = try #require(loaded.childIDs.first)
            await expectConflict {
                try await Operations.saveDecision(world.ctx(.teamManager), loaded, childID: child, ChildDecision(), expectedVersion: 1)
            }
            await expectConflict { _ = try await Operations.childDecision(world.ctx(.teamManager), loaded, childID: child) }
            let modes = Dictionary(uniqueKeysWithValues: loaded.invitations.map { ($0.id!, AttendanceMode.virtual) })
            try await Operations.recordAttendance(world.ctx(.teamManager), loaded, .init(modes: modes, startedAt: world.clock.now,
                                                                                         earlyStartReason: "Early"),
                                                  expectedVersion: try await world.version(id))
            loaded = try await world.load(id, as: .teamManager, for: .recordMeeting)
            await expectNotFound {
                try await Operations.saveDecision(world.ctx(.teamManager), loaded, childID: UUID(), ChildDecision(), expectedVersion: 0)
            }
            var deferred = ChildDecision()
            deferred.outcome = .deferred
            await expectInvalid("decisions.\(child.slug).furtherDiscussionBy") {
                try await Operations.saveDecision(world.ctx(.teamManager), loaded, childID: child, deferred,
                                                  expectedVersion: try await world.version(id))
            }
            try await Operations.saveDecision(world.ctx(.teamManager), loaded, childID: child, world.completeDecision(),
                                              expectedVersion: try await world.version(id))
            #expect(try await Operations.childDecision(world.ctx(.teamManager), loaded, childID: child).decision.outcome == .s47Joint)
        }
    }

    @Test("ACT-ALL-01: an action missing its SMART parts is refused by field; the owner must be of the authority")
    func actions() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .teamManager, for: .recordMeeting)
            let vague = SmartAction(what: "", owner: "Sam", agency: "childrens-social-care", due: nil, purpose: "", review: "")
            await expectInvalid("what") { _ = try await Operations.addAction(world.ctx(.teamManager), loaded, vague) }
            let foreign = SmartAction(what: "Visit", owner: "", ownerPersonID: world.id(.foreignSocialWorker), agency: "childrens-social-care",
                                      due: EuropeLondon.localDate(of: world.clock.now).adding(days: 2), purpose: "See", review: "Weekly")
            await expectInvalid("owner") { _ = try await Operations.addAction(world.ctx(.teamManager), loaded, foreign) }
            await expectConflict { try await Operations.sendActionSummary(world.ctx(.teamManager), loaded) }
            let good = SmartAction(what: "Visit", owner: "", ownerPersonID: world.id(.socialWorker), agency: "",
                                   due: EuropeLondon.localDate(of: world.clock.now).adding(days: 2), purpose: "See", review: "Weekly")
            let actionID = try await Operations.addAction(world.ctx(.teamManager), loaded, good)
            let row = try #require(try await ActionRecord.query(on: world.db).filter(\.$discussion.$id == id).first())
            #expect(row.smartAction.id == actionID && row.owner == "SocialWorker" && row.agency == "childrens-social-care")
            try await Operations.sendActionSummary(world.ctx(.teamManager), try await world.load(id, as: .teamManager, for: .recordMeeting))
            #expect(try await world.discussion(id).content.actionSummaryIssuedAt != nil)
            await expectNotFound { try await Operations.cancelAction(world.ctx(.teamManager), loaded, actionID: UUID(), reason: "Duplicate") }
            // Issue 14: a cancellation says why; without a reason nothing changes.
            await expectInvalid("cancel.\(row.id!.slug).reason") {
                try await Operations.cancelAction(world.ctx(.teamManager), loaded, actionID: row.id!, reason: "  ")
            }
            #expect(try await ActionRecord.find(row.id, on: world.db)?.status != .cancelled)
            try await Operations.cancelAction(world.ctx(.teamManager), loaded, actionID: row.id!, reason: "Agreed twice by mistake")
            let cancelled = try #require(try await ActionRecord.find(row.id, on: world.db))
            #expect(cancelled.status == .cancelled && cancelled.statusNote == "Agreed twice by mistake")
            let entry = try #require(try await AuditEntry.query(on: world.db).filter(\.$action == "action-cancel").first())
            #expect(entry.reason == "Agreed twice by mistake")
            await expectConflict {
                try await Operations.cancelAction(world.ctx(.teamManager), loaded, actionID: row.id!, reason: "Again")
            }
        }
    }

    @Test("Monitoring: text over the limit is named; a stale form is a conflict")
    func monitoring() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .teamManager, for: .recordMeeting)
            let version = try await world.version(id)
            await expectInvalid("monitoredBy") {
                try await Operations.saveMonitoring(world.ctx(.teamManager), loaded, monitoredBy: String(repeating: "x", count: 2001),
                                                    safetyPlanNotRequiredReason: "", expectedVersion: version)
            }
            await expectConflict {
                try await Operations.saveMonitoring(world.ctx(.teamManager), loaded, monitoredBy: "TM", safetyPlanNotRequiredReason: "",
                                                    expectedVersion: version - 1)
            }
        }
    }

    @Test("ACT-ALL-03: the person responsible updates progress; a partner who is not may not; a cancelled action is a conflict")
    func actionProgress() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .inMeeting)
            let action = try #require(try await ActionRecord.query(on: world.db).filter(\.$discussion.$id == id)
                .filter(\.$ownerPersonID == world.id(.socialWorker)).first())
            await expectInvalid("status") {
                try await Operations.updateActionStatus(world.ctx(.socialWorker), actionID: action.id!, status: nil, note: "")
            }
            await expectRefused(canSee: true) {
                try await Operations.updateActionStatus(world.ctx(.police), actionID: action.id!, status: .done, note: "")
            }
            try await Operations.updateActionStatus(world.ctx(.socialWorker), actionID: action.id!, status: .done, note: "Seen alone")
            #expect(try await ActionRecord.find(action.id, on: world.db)?.completedAt == world.clock.now)
            try await Operations.cancelAction(world.ctx(.teamManager), try await world.load(id, as: .teamManager, for: .recordMeeting),
                                              actionID: action.id!, reason: "No longer needed")
            await expectConflict {
                try await Operations.updateActionStatus(world.ctx(.socialWorker), actionID: action.id!, status: .inProgress, note: "")
            }
        }
    }
}
