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

/// The append-only, hash-chained audit trail (issue 5; ASVS-5.0-16.3, 16.4).
public enum AuditTrail {
    static let headSchema = "audit_head"
    static let genesis = String(repeating: "0", count: 64)

    /// Takes the chain's lock: the first statement of every audited transaction, so that
    /// appends from any number of app servers form one unbroken chain (and SQLite takes its
    /// write lock before anything is read).
    static func lock(_ db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("UPDATE audit_head SET seq = seq WHERE id = 1").run()
    }

    /// Appends records; call inside a transaction that began with `lock`.
    static func append(_ records: [AuditRecord], by actor: Actor, at now: Date, on db: any Database) async throws {
        guard !records.isEmpty else { return }
        let sql = db as! any SQLDatabase
        struct Head: Decodable { let seq: Int; let hash: String }
        guard let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first(decoding: Head.self) else {
            throw AuditError.missingHead
        }
        var seq = head.seq
        var prev = head.hash
        // Milliseconds: what every database keeps exactly, so the hash can be recomputed.
        let at = Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded() / 1000)
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
            entry.hash = hash(entry)
            try await entry.create(on: db)
            prev = entry.hash
        }
        try await sql.raw("UPDATE audit_head SET seq = \(bind: seq), hash = \(bind: prev) WHERE id = 1").run()
    }

    /// Control characters (newlines included) never reach the trail (ASVS-5.0-16.4.1).
    static func sanitise(_ text: String, max: Int) -> String {
        String(String(text.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) }).prefix(max))
    }

    /// SHA-256 over the entry's content and the previous hash, fields separated by U+001F.
    public static func hash(_ e: AuditEntry) -> String {
        let fields: [String] = [
            String(e.seq), RFC3339.format(e.at), e.organisationID?.uuidString.lowercased() ?? "",
            e.actorID?.uuidString.lowercased() ?? "", e.actorName, e.action, e.objectType,
            e.objectID?.uuidString.lowercased() ?? "", e.caseID?.uuidString.lowercased() ?? "", e.childIDs, e.reason,
            e.detail, e.ip, e.flagged ? "1" : "0", e.prevHash,
        ]
        let digest = SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    public struct Verification: Sendable, Hashable {
        public let entries: Int
        /// The first entry that does not verify, and why; nil when the whole chain holds.
        public let brokenAt: Int?
        public let problem: String?

        public var ok: Bool { brokenAt == nil }
    }

    /// Recomputes the whole chain (`convene audit verify`).
    public static func verify(on db: any Database, batch: Int = 2000) async throws -> Verification {
        var expectedSeq = 1
        var prev = genesis
        var count = 0
        while true {
            let page = try await AuditEntry.query(on: db).filter(\.$seq >= expectedSeq).sort(\.$seq).limit(batch).all()
            if page.isEmpty { break }
            for e in page {
                if e.seq != expectedSeq {
                    return Verification(entries: count, brokenAt: expectedSeq, problem: "entry \(expectedSeq) is missing")
                }
                if e.prevHash != prev {
                    return Verification(entries: count, brokenAt: e.seq, problem: "entry \(e.seq) does not follow entry \(e.seq - 1)")
                }
                if hash(e) != e.hash {
                    return Verification(entries: count, brokenAt: e.seq, problem: "entry \(e.seq) was altered after it was written")
                }
                prev = e.hash
                expectedSeq += 1
                count += 1
            }
        }
        struct Head: Decodable { let seq: Int; let hash: String }
        let head = try await (db as! any SQLDatabase).raw("SELECT seq, hash FROM audit_head WHERE id = 1").first(decoding: Head.self)
        if head?.seq != count || head?.hash != prev {
            return Verification(entries: count, brokenAt: count + 1, problem: "entries after \(count) were removed")
        }
        return Verification(entries: count, brokenAt: nil, problem: nil)
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

    /// Records something with no other change (a view, a failed login).
    public func audit(_ records: [AuditRecord], by actor: Actor, now: Date = Date()) async throws {
        try await audited(by: actor, now: now) { _ in ((), records) }
    }
}
