import ConveneCore
import Crypto
import FluentKit
import Foundation
import SQLKit

/// Who is acting, for the audit trail.
public struct Actor: Sendable, Hashable {
    public var id: UUID?
    public var name: String
    public var organisationID: UUID?
    public var ip: String

    public init(id: UUID?, name: String, organisationID: UUID?, ip: String) {
        self.id = id
        self.name = name
        self.organisationID = organisationID
        self.ip = ip
    }

    /// The command line or a background task acting on its own behalf.
    public static func system(_ name: String) -> Actor {
        Actor(id: nil, name: name, organisationID: nil, ip: "")
    }
}

/// What an audited operation did.
public struct AuditRecord: Sendable, Hashable {
    public var action: String
    public var objectType: String
    public var objectID: UUID?
    public var caseID: UUID?
    public var childIDs: [UUID]
    public var reason: String
    public var detail: String
    public var flagged: Bool

    public init(_ action: String, _ objectType: String, id objectID: UUID? = nil, caseID: UUID? = nil, childIDs: [UUID] = [],
                reason: String = "", detail: String = "", flagged: Bool = false) {
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.caseID = caseID
        self.childIDs = childIDs
        self.reason = reason
        self.detail = detail
        self.flagged = flagged
    }
}

/// The append-only audit trail (issue 5; ASVS-5.0-16.3, 16.4), tamper-evident (issue 9): each
/// entry's `hash` is an HMAC-SHA256, under a key held outside the database, of its content and
/// the previous entry's hash. Whoever can write the database cannot rewrite an entry and
/// recompute the chain without the key; `AuditCheckpoints` keep signed copies of the head
/// outside the database, so a removed tail or a wiped table is found too.
public enum AuditTrail {
    static let headSchema = "audit_head"
    static let genesis = String(repeating: "0", count: 64)

    /// Takes the chain's lock: the first statement of every audited transaction, so that
    /// appends from any number of app servers form one unbroken chain (and SQLite takes its
    /// write lock before anything is read).
    static func lock(_ db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("UPDATE audit_head SET seq = seq WHERE id = 1").run()
    }

    struct Head: Decodable {
        let seq: Int
        let hash: String
    }

    /// The chain's head: the last entry's position and hash.
    public static func head(on db: any Database) async throws -> (seq: Int, hash: String) {
        guard let head = try await (db as! any SQLDatabase).raw("SELECT seq, hash FROM audit_head WHERE id = 1")
            .first(decoding: Head.self) else { throw AuditError.missingHead }
        return (head.seq, head.hash)
    }

    /// Appends records; call inside a transaction that began with `lock`.
    static func append(_ records: [AuditRecord], by actor: Actor, at now: Date, on db: any Database) async throws {
        guard !records.isEmpty else { return }
        let key = try db.keyRing().chainKey
        let sql = db as! any SQLDatabase
        let head = try await head(on: db)
        var seq = head.seq
        var prev = head.hash
        // Milliseconds: what every database keeps exactly, so the hash can be recomputed.
        let at = now.roundedToMilliseconds
        var entries: [AuditEntry] = []
        entries.reserveCapacity(records.count)
        for record in records {
            seq += 1
            let entry = AuditEntry()
            entry.seq = seq
            entry.at = at
            entry.organisationID = actor.organisationID
            entry.actorID = actor.id
            entry.actorName = sanitise(actor.name, max: 200)
            entry.action = record.action
            entry.objectType = record.objectType
            entry.objectID = record.objectID
            entry.caseID = record.caseID
            entry.childIDs = record.childIDs.map { $0.uuidString.lowercased() }.joined(separator: " ")
            entry.reason = sanitise(record.reason, max: 2000)
            entry.detail = sanitise(record.detail, max: 4000)
            entry.ip = sanitise(actor.ip, max: 64)
            entry.flagged = record.flagged
            entry.prevHash = prev
            entry.hash = hash(entry, key: key)
            entries.append(entry)
            prev = entry.hash
        }
        // One statement for every entry of a group commit, not one Fluent insert each (issue 12).
        try await entries.bulkInsert(on: db, now: at)
        try await sql.raw("UPDATE audit_head SET seq = \(bind: seq), hash = \(bind: prev) WHERE id = 1").run()
    }

    /// Control characters (newlines included) never reach the trail (ASVS-5.0-16.4.1).
    static func sanitise(_ text: String, max: Int) -> String {
        String(String(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) }).prefix(max))
    }

    /// The entry's content and the previous hash, fields separated by U+001F.
    public static func canonical(_ e: AuditEntry) -> String {
        [
            String(e.seq), RFC3339.format(e.at), e.organisationID?.uuidString.lowercased() ?? "",
            e.actorID?.uuidString.lowercased() ?? "", e.actorName, e.action, e.objectType,
            e.objectID?.uuidString.lowercased() ?? "", e.caseID?.uuidString.lowercased() ?? "", e.childIDs, e.reason,
            e.detail, e.ip, e.flagged ? "1" : "0", e.prevHash,
        ].joined(separator: "\u{1F}")
    }

    /// HMAC-SHA256 of the entry under the chain key.
    public static func hash(_ e: AuditEntry, key: SymmetricKey) -> String {
        KeyRing.mac(canonical(e), key: key)
    }

    /// The unkeyed SHA-256 chain of databases written before issue 9; read only to upgrade them.
    static func legacyHash(_ e: AuditEntry) -> String {
        Tokens.hex(SHA256.hash(data: Data(canonical(e).utf8)))
    }

    /// Re-keys a chain written before keys existed, once, at start: the old chain must verify
    /// in full first (a broken one is left as it is, for `audit verify` to report). True when
    /// there was something to upgrade.
    public static func upgradeIfNeeded(on db: any Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        struct Keyed: Decodable { let keyed: Int }
        guard let row = try await sql.raw("SELECT keyed FROM audit_head WHERE id = 1").first(decoding: Keyed.self),
              row.keyed == 0 else { return false }
        let key = try db.keyRing().chainKey
        return try await db.transaction { tx in
            try await lock(tx)
            let entries = try await AuditEntry.query(on: tx).sort(\.$seq).all()
            var prev = genesis
            for (i, e) in entries.enumerated() {
                guard e.seq == i + 1, e.prevHash == prev, legacyHash(e) == e.hash else { return false }
                prev = e.hash
            }
            var newPrev = genesis
            for e in entries {
                e.prevHash = newPrev
                e.hash = hash(e, key: key)
                try await e.save(on: tx)
                newPrev = e.hash
            }
            try await (tx as! any SQLDatabase).raw("UPDATE audit_head SET hash = \(bind: newPrev), keyed = 1 WHERE id = 1").run()
            let sealed = try await RecordSeal.sealUnsealed(on: tx, key: try tx.keyRing().sealKey)
            // A new database has nothing to upgrade: say nothing.
            return !entries.isEmpty || sealed > 0
        }
    }

    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The audit entry concerned, when there is one.
        public let entry: Int?
        public let message: String

        public var description: String { message }
    }

    public struct Verification: Sendable, Hashable {
        public let entries: Int
        public let checkpoints: Int
        public let recordVersions: Int
        public let discussions: Int
        public let problems: [Problem]

        public var ok: Bool { problems.isEmpty }
        /// The first entry that does not verify; nil when the chain holds.
        public var brokenAt: Int? { problems.first?.entry }
        public var problem: String? { problems.first?.message }
    }

    /// Everything `convene audit verify` checks: the keyed chain entry by entry, the head, every
    /// signed checkpoint against the chain, and the seals of every record version and discussion.
    public static func verify(on db: any Database, checkpoints: [AuditCheckpoint] = [], batch: Int = 2000) async throws
        -> Verification
    {
        let keys = try db.keyRing()
        var problems: [Problem] = []
        var bySeq: [Int: AuditCheckpoint] = [:]
        for checkpoint in checkpoints {
            if checkpoint.verifySignature(keys.publicKey) {
                bySeq[checkpoint.seq] = checkpoint
            } else {
                problems.append(Problem(entry: nil, message: "checkpoint of \(checkpoint.at) has been altered (its signature does not verify)"))
            }
        }
        var expectedSeq = 1
        var prev = genesis
        var count = 0
        var chainBroken = false
        chain: while true {
            let page = try await AuditEntry.query(on: db).filter(\.$seq >= expectedSeq).sort(\.$seq).limit(batch).all()
            if page.isEmpty { break }
            for e in page {
                if e.seq != expectedSeq {
                    problems.append(Problem(entry: expectedSeq, message: "entry \(expectedSeq) is missing"))
                    chainBroken = true
                    break chain
                }
                if e.prevHash != prev {
                    problems.append(Problem(entry: e.seq, message: "entry \(e.seq) does not follow entry \(e.seq - 1)"))
                    chainBroken = true
                    break chain
                }
                if hash(e, key: keys.chainKey) != e.hash {
                    problems.append(Problem(entry: e.seq, message: "entry \(e.seq) was altered after it was written"))
                    chainBroken = true
                    break chain
                }
                if let checkpoint = bySeq[e.seq], checkpoint.hash != e.hash {
                    problems.append(Problem(entry: e.seq, message:
                        "entry \(e.seq) differs from the signed checkpoint of \(checkpoint.at): the chain was rewritten"))
                    chainBroken = true
                    break chain
                }
                prev = e.hash
                expectedSeq += 1
                count += 1
            }
        }
        if !chainBroken {
            let head = try await head(on: db)
            if head.seq != count || head.hash != prev {
                problems.append(Problem(entry: count + 1, message: "entries after \(count) were removed (the head names entry \(head.seq))"))
            } else if let latest = bySeq.values.max(by: { $0.seq < $1.seq }), latest.seq > count {
                problems.append(Problem(entry: count + 1, message: count == 0
                    ? "the audit trail was wiped: the signed checkpoint of \(latest.at) names entry \(latest.seq)"
                    : "entries after \(count) were removed: the signed checkpoint of \(latest.at) names entry \(latest.seq)"))
            }
        }
        let versions = try await RecordSeal.verifyVersions(on: db, key: keys.sealKey)
        let discussions = try await RecordSeal.verifyDiscussions(on: db, key: keys.sealKey)
        problems += versions.problems.map { Problem(entry: nil, message: $0) }
        problems += discussions.problems.map { Problem(entry: nil, message: $0) }
        return Verification(entries: count, checkpoints: bySeq.count, recordVersions: versions.checked,
                            discussions: discussions.checked, problems: problems)
    }
}

extension Date {
    /// The same instant to the millisecond: what SQLite and PostgreSQL both keep exactly, so a
    /// digest of a stored time can be recomputed after reading it back.
    public var roundedToMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}

public enum AuditError: Error {
    case missingHead
}

extension Database {
    /// One business operation: wholly written with its audit entries, or not at all
    /// (ASVS-5.0-2.3.3). `body` returns its result and what to record.
    public func audited<T: Sendable>(by actor: Actor, now: Date = Date(),
                                     _ body: @escaping @Sendable (any Database) async throws -> (T, [AuditRecord]))
        async throws -> T
    {
        try await transaction { tx in
            try await AuditTrail.lock(tx)
            let (result, records) = try await body(tx)
            try await AuditTrail.append(records, by: actor, at: now, on: tx)
            return result
        }
    }

    /// Records something with no other change (a view, a failed login). Outside a transaction
    /// the entries of concurrent callers are committed together (`AuditBatcher`); either way
    /// this returns only once the entries are committed.
    public func audit(_ records: [AuditRecord], by actor: Actor, now: Date = Date()) async throws {
        guard !records.isEmpty else { return }
        if !inTransaction, let batcher = auditBatcher {
            try await batcher.append(records, by: actor, at: now, using: self)
        } else {
            try await audited(by: actor, now: now) { _ in ((), records) }
        }
    }
}
