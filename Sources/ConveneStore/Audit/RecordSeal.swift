import ConveneCore
import Crypto
import FluentKit
import Foundation

/// Seals on what a court may be shown (REC-002-02; issue 9): each record version and each
/// discussion row carries an HMAC, under a key held outside the database, of its content. An
/// edit made directly in the database, even one that recomputes the version's SHA-256, no
/// longer matches its seal: `convene audit verify` reports it, and a version that fails is
/// refused whenever it would be served, never shown as authentic.
public enum RecordSeal {
    /// SHA-256 of the snapshot's canonical JSON (`CanonicalJSON`: sorted keys, ISO 8601 dates,
    /// empty members left out so that later releases' new fields do not change it), kept with
    /// each version so that a court copy can be checked.
    public static func digest(_ snapshot: RecordSnapshot) -> String {
        let text = CanonicalJSON.string(snapshot, dates: .iso8601)
        return Tokens.hex(SHA256.hash(data: Data(text.utf8)))
    }

    static func canonical(_ v: RecordVersion) -> String {
        ["convene-record-version/1", v.id?.uuidString.lowercased() ?? "", v.$discussion.id.uuidString.lowercased(),
         String(v.number), v.kind.rawValue, v.sha256, v.createdBy.uuidString.lowercased(), v.note].joined(separator: "\u{1F}")
    }

    public static func seal(_ version: RecordVersion, key: SymmetricKey) -> String {
        KeyRing.mac(canonical(version), key: key)
    }

    /// Whether the version is exactly as Convene wrote it: its snapshot matches its digest and
    /// its seal matches both.
    public static func isIntact(_ version: RecordVersion, key: SymmetricKey) -> Bool {
        digest(version.snapshot) == version.sha256 && Tokens.constantTimeEqual(seal(version, key: key), version.seal)
    }

    static func json<T: Encodable>(_ value: T) -> String {
        CanonicalJSON.string(value)
    }

    static func canonical(_ d: Discussion) -> String {
        func id(_ value: UUID?) -> String { value?.uuidString.lowercased() ?? "" }
        func time(_ value: Date?) -> String { value.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? "" }
        return [
            "convene-discussion/1", id(d.id), id(d.organisationID), id(d.teamID), id(d.$case.id), String(d.sequence),
            id(d.parentID), d.reference, d.stage.rawValue, d.urgency.rawValue, json(d.request), id(d.requestedBy),
            time(d.requestedAt), id(d.decidedBy), time(d.decidedAt), d.decisionReason, time(d.slotStart), time(d.slotEnd),
            id(d.bookedBy), d.meetingFormat, d.meetingDetails, id(d.chairID), id(d.minuteTakerID), time(d.startedAt),
            d.quoracy.map(json) ?? "", json(d.content), String(d.recordVersion), time(d.finalisedAt), id(d.authorisedBy),
            time(d.authorisedAt), time(d.circulatedAt), d.cancellation, String(d.lockVersion),
        ].joined(separator: "\u{1F}")
    }

    /// Brings the discussion's times to the millisecond (what both databases keep exactly) and
    /// seals it. Every write of a discussion's content calls this just before saving.
    public static func reseal(_ d: Discussion, key: SymmetricKey) {
        d.requestedAt = d.requestedAt.roundedToMilliseconds
        d.decidedAt = d.decidedAt?.roundedToMilliseconds
        d.slotStart = d.slotStart?.roundedToMilliseconds
        d.slotEnd = d.slotEnd?.roundedToMilliseconds
        d.startedAt = d.startedAt?.roundedToMilliseconds
        d.finalisedAt = d.finalisedAt?.roundedToMilliseconds
        d.authorisedAt = d.authorisedAt?.roundedToMilliseconds
        d.circulatedAt = d.circulatedAt?.roundedToMilliseconds
        d.seal = KeyRing.mac(canonical(d), key: key)
    }

    public static func isIntact(_ d: Discussion, key: SymmetricKey) -> Bool {
        Tokens.constantTimeEqual(KeyRing.mac(canonical(d), key: key), d.seal)
    }

    /// Seals rows written before seals existed (an upgraded database), once; how many.
    static func sealUnsealed(on db: any Database, key: SymmetricKey) async throws -> Int {
        var count = 0
        for d in try await Discussion.query(on: db).filter(\.$seal == "").all() {
            reseal(d, key: key)
            try await d.save(on: db)
            count += 1
        }
        for v in try await RecordVersion.query(on: db).filter(\.$seal == "").all() where digest(v.snapshot) == v.sha256 {
            v.seal = seal(v, key: key)
            try await v.save(on: db)
            count += 1
        }
        return count
    }

    struct Report {
        var checked = 0
        var problems: [String] = []
    }

    static func verifyVersions(on db: any Database, key: SymmetricKey, batch: Int = 1000) async throws -> Report {
        var report = Report()
        var after: UUID?
        while true {
            var query = RecordVersion.query(on: db).sort(\.$id).limit(batch)
            if let after { query = query.filter(\.$id > after) }
            let page = try await query.all()
            guard let last = page.last else { break }
            var broken: [RecordVersion] = []
            for v in page {
                report.checked += 1
                if !isIntact(v, key: key) { broken.append(v) }
            }
            if !broken.isEmpty {
                let ids = Set(broken.map { $0.$discussion.id })
                let references = try await Discussion.query(on: db).filter(\.$id ~~ ids).all()
                    .reduce(into: [UUID: String]()) { $0[$1.id!] = $1.reference }
                for v in broken {
                    let what = digest(v.snapshot) == v.sha256 ? "its seal does not match" : "its content no longer matches its SHA-256"
                    report.problems.append("record version \(v.number) of \(references[v.$discussion.id] ?? v.$discussion.id.uuidString) was altered: \(what)")
                }
            }
            after = last.id
        }
        return report
    }

    static func verifyDiscussions(on db: any Database, key: SymmetricKey, batch: Int = 1000) async throws -> Report {
        var report = Report()
        var after: UUID?
        while true {
            var query = Discussion.query(on: db).sort(\.$id).limit(batch)
            if let after { query = query.filter(\.$id > after) }
            let page = try await query.all()
            guard let last = page.last else { break }
            for d in page {
                report.checked += 1
                if !isIntact(d, key: key) {
                    report.problems.append("discussion \(d.reference) was altered outside Convene: its seal does not match")
                }
            }
            after = last.id
        }
        return report
    }
}

/// A record that failed its integrity check: it is neither shown nor changed, and the
/// refusal is alarmed (a flagged audit entry and a critical log line).
public enum IntegrityError: Error, Sendable, CustomStringConvertible {
    case discussion(String)
    case recordVersion(String, Int)

    public var description: String {
        switch self {
        case let .discussion(reference):
            "Discussion \(reference) failed its integrity check: it was changed outside Convene"
        case let .recordVersion(reference, number):
            "Version \(number) of the record of \(reference) failed its integrity check: it was changed outside Convene"
        }
    }
}

extension RecordSeal {
    /// Throws unless every version is exactly as Convene wrote it (checked every time a version
    /// is served: a court must never be shown an altered record as authentic).
    public static func requireIntact(_ versions: [RecordVersion], reference: String, on db: any Database) throws {
        let key = try db.keyRing().sealKey
        if let broken = versions.first(where: { !isIntact($0, key: key) }) {
            throw IntegrityError.recordVersion(reference, broken.number)
        }
    }
}
