import ConveneCore
import ConveneStore
@testable import ConveneWeb
import Crypto
import FluentKit
import Foundation
import SQLKit
import Testing
import VaporTesting

/// Issue 9, finding 4 (REC-002-02, ASVS-5.0-16.4.2): whoever can write the database can no
/// longer alter the audit trail or a record unnoticed. Each attack is made directly in the
/// database, as the attacker did; `AuditTrail.verify` (what `convene audit verify` runs) must
/// name it, and an altered record must never be served as authentic.
@Suite("Security: tamper-evident audit trail and records")
struct AuditTamperTests {
    /// A world whose checkpoints go to a directory of their own, with a circulated discussion.
    func withCheckpointedWorld(_ body: (TestWorld, UUID, AuditCheckpoints) async throws -> Void) async throws {
        try await TestWorld.run { world in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convene-checkpoints-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let checkpoints = AuditCheckpoints(directory: directory)
            let id = try await world.makeDiscussion(at: .circulated)
            try await checkpoints.write(on: world.app.db, now: world.clock.now)
            try await body(world, id, checkpoints)
        }
    }

    func verify(_ world: TestWorld, _ checkpoints: AuditCheckpoints) async throws -> AuditTrail.Verification {
        try await AuditTrail.verify(on: world.app.db, checkpoints: try checkpoints.read())
    }

    @Test("An untouched trail, with its checkpoint, record versions and discussions, verifies")
    func intact() async throws {
        try await withCheckpointedWorld { world, _, checkpoints in
            let result = try await verify(world, checkpoints)
            #expect(result.ok, "\(result.problems)")
            #expect(result.checkpoints == 1 && result.recordVersions >= 2 && result.discussions == 1)
        }
    }

    @Test("An edited entry is found")
    func editedEntry() async throws {
        try await withCheckpointedWorld { world, _, checkpoints in
            try await world.sql.raw("UPDATE audit_entries SET reason = 'nothing to see' WHERE seq = 3").run()
            let result = try await verify(world, checkpoints)
            #expect(!result.ok && result.brokenAt == 3, "\(result.problems)")
        }
    }

    @Test("A deleted entry is found")
    func deletedEntry() async throws {
        try await withCheckpointedWorld { world, _, checkpoints in
            try await world.sql.raw("DELETE FROM audit_entries WHERE seq = 5").run()
            let result = try await verify(world, checkpoints)
            #expect(!result.ok && result.brokenAt == 5, "\(result.problems)")
        }
    }

    @Test("A deleted tail with the head rewound to match is found by the signed checkpoint")
    func deletedTailHeadRewound() async throws {
        try await withCheckpointedWorld { world, _, checkpoints in
            let head = try await AuditTrail.head(on: world.app.db)
            let keep = head.seq - 10
            let last = try #require(try await AuditEntry.query(on: world.app.db).filter(\.$seq == keep).first())
            try await world.sql.raw("DELETE FROM audit_entries WHERE seq > \(bind: keep)").run()
            try await world.sql.raw("UPDATE audit_head SET seq = \(bind: keep), hash = \(bind: last.hash) WHERE id = 1").run()
            #expect(try await AuditTrail.verify(on: world.app.db).ok, "without a checkpoint the chain alone cannot tell")
            let result = try await verify(world, checkpoints)
            #expect(!result.ok, "the removed tail went unnoticed")
            #expect(result.problem?.contains("removed") == true, "\(result.problems)")
        }
    }

    @Test("A wiped table (and head) is found by the signed checkpoint")
    func wipedTable() async throws {
        try await withCheckpointedWorld { world, _, checkpoints in
            try await world.sql.raw("DELETE FROM audit_entries").run()
            try await world.sql.raw("UPDATE audit_head SET seq = 0, hash = \(bind: String(repeating: "0", count: 64)) WHERE id = 1").run()
            let result = try await verify(world, checkpoints)
            #expect(!result.ok && result.problem?.contains("wiped") == true, "\(result.problems)")
        }
    }

    @Test("A rewritten entry with the chain recomputed (plain SHA-256, no key) is found")
    func rechainedWithoutKey() async throws {
        try await withCheckpointedWorld { world, _, checkpoints in
            let entries = try await AuditEntry.query(on: world.app.db).sort(\.$seq).all()
            var prev = String(repeating: "0", count: 64)
            for e in entries {
                if e.seq == 4 { e.detail = "rewritten" }
                e.prevHash = prev
                e.hash = SHA256.hash(data: Data(AuditTrail.canonical(e).utf8)).map { String(format: "%02x", $0) }.joined()
                try await e.save(on: world.app.db)
                prev = e.hash
            }
            try await world.sql.raw("UPDATE audit_head SET hash = \(bind: prev) WHERE id = 1").run()
            let result = try await AuditTrail.verify(on: world.app.db)
            #expect(!result.ok && result.brokenAt == 1, "a chain recomputed without the key verified: \(result.problems)")
            #expect(!(try await verify(world, checkpoints)).ok)
        }
    }

    @Test("A rewritten entry rechained even with the key is found by the signed checkpoint")
    func rechainedWithKey() async throws {
        try await withCheckpointedWorld { world, _, checkpoints in
            let key = try world.app.db.keyRing().chainKey
            let entries = try await AuditEntry.query(on: world.app.db).sort(\.$seq).all()
            var prev = String(repeating: "0", count: 64)
            for e in entries {
                if e.seq == 4 { e.detail = "rewritten" }
                e.prevHash = prev
                e.hash = AuditTrail.hash(e, key: key)
                try await e.save(on: world.app.db)
                prev = e.hash
            }
            try await world.sql.raw("UPDATE audit_head SET hash = \(bind: prev) WHERE id = 1").run()
            #expect(try await AuditTrail.verify(on: world.app.db).ok, "the chain alone cannot tell: the key was used")
            let result = try await verify(world, checkpoints)
            #expect(!result.ok && result.problem?.contains("checkpoint") == true, "\(result.problems)")
        }
    }

    @Test("An altered checkpoint line is reported, not trusted")
    func alteredCheckpoint() async throws {
        try await withCheckpointedWorld { world, _, checkpoints in
            let url = checkpoints.directory.appendingPathComponent("checkpoints.jsonl")
            let text = try String(contentsOf: url, encoding: .utf8)
            let head = try await AuditTrail.head(on: world.app.db)
            try text.replacingOccurrences(of: "\"seq\":\(head.seq)", with: "\"seq\":\(head.seq - 1)")
                .write(to: url, atomically: true, encoding: .utf8)
            let result = try await verify(world, checkpoints)
            #expect(!result.ok && result.problem?.contains("signature") == true, "\(result.problems)")
        }
    }

    @Test("REC-002-02: an edited authorised version (SHA-256 recomputed) is found, and refused wherever it would be served")
    func editedRecordVersion() async throws {
        try await withCheckpointedWorld { world, id, checkpoints in
            let version = try #require(try await RecordVersion.query(on: world.app.db).filter(\.$discussion.$id == id)
                .filter(\.$kind == .authorised).first())
            var snapshot = version.snapshot
            snapshot.presentingIssue = "Nothing of concern"
            version.snapshot = snapshot
            version.sha256 = RecordSeal.digest(snapshot)
            try await version.save(on: world.app.db)
            let result = try await verify(world, checkpoints)
            #expect(!result.ok && result.problems.contains { $0.message.contains("record version \(version.number)") }, "\(result.problems)")

            let police = try await world.browser(.police)
            let minutes = try await police.get("/discussions/\(id.slug)/minutes")
            #expect(minutes.status == .internalServerError, "altered minutes were served: \(minutes.status)")
            #expect(!minutes.text.contains("Nothing of concern"))
            let api = try await world.api(.police)
            let served = try await api.get("/discussions/\(id.slug)/minutes")
            #expect(served.status == .internalServerError && !served.text.contains("Nothing of concern"))
            let chair = try await world.browser(.teamManager)
            #expect(try await chair.get("/discussions/\(id.slug)/versions/\(version.number)").status == .internalServerError)
            #expect(try await chair.get("/discussions/\(id.slug)/export").status == .internalServerError)
            // Alarmed: a flagged entry for the auditors.
            let alarms = try await world.audit("integrity-failure")
            #expect(!alarms.isEmpty && alarms.allSatisfy(\.flagged))
        }
    }

    @Test("An edited discussion (its request or record content) is found, and neither shown nor built on")
    func editedDiscussion() async throws {
        try await withCheckpointedWorld { world, id, checkpoints in
            let discussion = try await world.discussion(id)
            var content = discussion.content
            content.monitoredBy = "Nobody"
            discussion.content = content
            try await discussion.save(on: world.app.db)
            let result = try await verify(world, checkpoints)
            #expect(!result.ok && result.problems.contains { $0.message.contains(discussion.reference) }, "\(result.problems)")
            let chair = try await world.browser(.teamManager)
            let page = try await chair.get("/discussions/\(id.slug)")
            #expect(page.status == .internalServerError, "\(page.status)")
            #expect(!page.text.contains("Nobody"))
        }
    }

    @Test("Seals and digests outlive upgrades: a field added later with an empty default leaves them unchanged, any real change does not")
    func canonicalJSON() {
        struct Before: Encodable { let name: String; let age: Int; let notes: [String] }
        struct After: Encodable { let name: String; let age: Int; let notes: [String]; let hospital: Bool; let extra: String?; let more: [Int] }
        let before = CanonicalJSON.string(Before(name: "Amira", age: 7, notes: ["a"]))
        #expect(before == CanonicalJSON.string(After(name: "Amira", age: 7, notes: ["a"], hospital: false, extra: nil, more: [])))
        #expect(before != CanonicalJSON.string(After(name: "Amira", age: 7, notes: ["a"], hospital: true, extra: nil, more: [])))
        #expect(before != CanonicalJSON.string(Before(name: "Amira", age: 8, notes: ["a"])))
        #expect(before != CanonicalJSON.string(Before(name: "Amira", age: 7, notes: [])))
        #expect(before != CanonicalJSON.string(Before(name: "Amira\"", age: 7, notes: ["a"])))
    }

    @Test("Every operation of the lifecycle keeps its seals: a full journey verifies")
    func journeyKeepsSeals() async throws {
        try await withCheckpointedWorld { world, id, checkpoints in
            // Review discussion and follow-up after circulation.
            let chair = try await world.browser(.teamManager)
            let caseID = try await world.discussion(id).$case.id
            try await chair.get("/cases/\(caseID.slug)")
            try world.step(try await chair.post("/cases/\(caseID.slug)/reviews", [("urgency", "standard"), ("reason", "Review progress")]))
            try await checkpoints.write(on: world.app.db, now: world.clock.now)
            let result = try await verify(world, checkpoints)
            #expect(result.ok, "\(result.problems)")
            #expect(result.discussions == 2)
        }
    }
}
