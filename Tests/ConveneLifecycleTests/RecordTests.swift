import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("The record (REC-*): finalise, reopen, authorise, circulate, corrections, versions and export")
struct RecordTests {
    @Test("REC-ALL-01: an incomplete record cannot be finalised: every missing item is named")
    func finaliseIncomplete() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let loaded = try await world.load(id, as: .teamManager, for: .finaliseRecord)
            await expectWrongStage {
                try await Operations.finalise(world.ctx(.teamManager), loaded, expectedVersion: try await world.version(id))
            }
            let item = try #require(loaded.pack.agenda.first { !$0.perChild })
            try await Operations.saveSections(world.ctx(.teamManager), loaded, [item.id: "Notes"], expectedVersion: try await world.version(id))
            do {
                try await Operations.finalise(world.ctx(.teamManager), try await world.load(id, as: .teamManager, for: .finaliseRecord),
                                              expectedVersion: try await world.version(id))
                Issue.record("an incomplete record was finalised")
            } catch let failure as ValidationFailure {
                #expect(failure.errors.count > 3)
            }
            #expect(try await world.discussion(id).stage == .inMeeting)
        }
    }

    @Test("Finalise, reopen and finalise again keep every version; a stale version is a conflict")
    func finaliseReopen() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .inMeeting)
            let loaded = try await world.load(id, as: .teamManager, for: .finaliseRecord)
            await expectConflict { try await Operations.finalise(world.ctx(.teamManager), loaded, expectedVersion: 0) }
            #expect(try await Operations.finalise(world.ctx(.teamManager), loaded, expectedVersion: try await world.version(id)) == 1)
            await expectWrongStage {
                try await Operations.finalise(world.ctx(.teamManager), loaded, expectedVersion: try await world.version(id))
            }
            try await Operations.reopen(world.ctx(.teamManager), try await world.load(id, as: .teamManager, for: .finaliseRecord),
                                        expectedVersion: try await world.version(id))
            #expect(try await world.discussion(id).stage == .inMeeting)
            #expect(try await Operations.finalise(world.ctx(.teamManager), try await world.load(id, as: .teamManager, for: .finaliseRecord),
                                                  expectedVersion: try await world.version(id)) == 2)
        }
    }

    @Test("REC-ALL-01: only the roles the pack names authorise; a minute taker may circulate, not authorise")
    func authorise() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .recordFinal)
            await expectRefused(canSee: true) { _ = try await world.load(id, as: .minuteTaker, for: .authoriseRecord) }
            let loaded = try await world.load(id, as: .teamManager, for: .authoriseRecord)
            let number = try await Operations.authorise(world.ctx(.teamManager), loaded, expectedVersion: try await world.version(id))
            let stage = try await world.discussion(id).stage
            #expect(number == 2 && stage == .authorised)
            await expectWrongStage {
                try await Operations.authorise(world.ctx(.teamManager), loaded, expectedVersion: try await world.version(id))
            }
        }
    }

    @Test("REC-ALL-02: circulating sends the minutes to the invitees only, with fresh personal links at the public address")
    func circulate() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .authorised)
            let before = try await OutboxMessage.query(on: world.db).count()
            let loaded = try await world.load(id, as: .minuteTaker, for: .circulateRecord)
            let count = try await Operations.circulate(world.ctx(.minuteTaker), loaded, expectedVersion: try await world.version(id))
            let minutes = try await OutboxMessage.query(on: world.db).filter(\.$subject == "Minutes: \(loaded.discussion.reference)").all()
            #expect(count == loaded.invitations.filter(\.invited).count && minutes.count == count)
            #expect(try await OutboxMessage.query(on: world.db).count() == before + count)
            #expect(minutes.allSatisfy { $0.body.contains("https://convene.test/discussions/") })
        }
    }

    @Test("REC-001-01: an invitee corrects within the window; the chair accepts into a new version; decided twice is a conflict")
    func corrections() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .circulated)
            let police = try await world.load(id, as: .police, for: .submitCorrection)
            let read = try await Operations.readMinutes(world.ctx(.police), police)
            #expect(read.version != nil && read.canCorrect)
            #expect(try await Invitation.query(on: world.db).filter(\.$personID == world.id(.police)).first()?.openedAt != nil)
            await expectInvalid("text") {
                _ = try await Operations.submitCorrection(world.ctx(.police), police, section: "Attendance", text: "")
            }
            let correction = try await Operations.submitCorrection(world.ctx(.police), police, section: "Attendance",
                                                                   text: "I attended in person")
            let chair = try await world.load(id, as: .teamManager, for: .decideCorrection)
            await expectInvalid("reason." + correction.slug) {
                try await Operations.decideCorrection(world.ctx(.teamManager), chair, correctionID: correction, accept: false, reason: "")
            }
            await expectNotFound {
                try await Operations.decideCorrection(world.ctx(.teamManager), chair, correctionID: UUID(), accept: true, reason: "")
            }
            try await Operations.decideCorrection(world.ctx(.teamManager), chair, correctionID: correction, accept: true, reason: "")
            #expect(try await Correction.find(correction, on: world.db)?.resultVersion == 3)
            await expectConflict {
                try await Operations.decideCorrection(world.ctx(.teamManager), chair, correctionID: correction, accept: false, reason: "No")
            }
            #expect(try await Operations.corrections(world.ctx(.teamManager), chair).total == 1)
        }
    }

    @Test("REC-001-01: after the pack's window, or for someone not invited, a correction is a conflict")
    func correctionWindow() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .circulated)
            let police = try await world.load(id, as: .police, for: .submitCorrection)
            let window = try #require(police.pack.circulation.correctionsWindowSeconds)
            world.clock.advance(TimeInterval(window + 60))
            await expectConflict {
                _ = try await Operations.submitCorrection(world.ctx(.police), police, section: "", text: "Too late")
            }
            #expect(try await Operations.readMinutes(world.ctx(.police), police).canCorrect == false)
        }
    }

    @Test("REC-002-02: versions an invitee may read are the circulated ones; a draft version is not allowed; export is audited")
    func versionsAndExport() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .circulated)
            let police = try await world.load(id, as: .police, for: .viewRecord)
            #expect(try await RecordBuilder.visibleVersions(police, on: world.db).map(\.kind) == [.authorised])
            await expectNotAllowed { _ = try await RecordBuilder.version(1, of: police, on: world.db) }
            await expectNotFound { _ = try await RecordBuilder.version(9, of: police, on: world.db) }
            let chair = try await world.load(id, as: .teamManager, for: .exportRecord)
            let export = try await Operations.exportRecord(world.ctx(.teamManager), chair)
            #expect(try await world.audit("export").count == 1)
            await expectRefused(canSee: true) { _ = try await world.load(id, as: .police, for: .exportRecord) }
        }
    }
}
