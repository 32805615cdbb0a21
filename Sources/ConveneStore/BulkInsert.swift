import FluentKit
import FluentSQLiteDriver
import Foundation
import SQLKit

/// Multi-row inserts for bulk loads (`convene seed --discussions 100000`).
///
/// Fluent's `[Model].create(on:)` walks each model's properties with `Mirror` several times per
/// row (collecting input, touching timestamps); at 100,000 discussions that reflection was most of
/// the seeding time. A bulk-insertable model lists its columns and values here by hand instead, so
/// the rows go straight to SQLKit. Written by hand because neither FluentKit nor SQLKit offers a
/// reflection-free insert of Fluent models.
///
/// The values are bound exactly as FluentSQL binds them (nil as `NULL`, anything else as an
/// `SQLBind` of the same Swift value), so the rows read back through Fluent identically on SQLite
/// and PostgreSQL. `BulkInsertTests` checks that each model's `bulkColumns` are exactly its Fluent
/// field keys, so a field added to a model cannot be forgotten here.
public protocol BulkInsertable: Model where IDValue == UUID {
    /// The table's columns, in the order `bulkValues` gives them.
    static var bulkColumns: [String] { get }
    /// This model's row; `now` fills the create and update timestamps the model has not set itself
    /// (Fluent would always set them to now; synthetic history sets them in the past).
    func bulkValues(now: Date) -> [any SQLExpression]
}

extension Array where Element: BulkInsertable {
    /// Inserts every model in as few statements as the drivers' limits on bound values allow.
    /// Models without an id are given one first. The caller supplies the transaction.
    public func bulkInsert(on db: any Database, now: Date = Date()) async throws {
        try await bulkRows(for: db, now: now).insert(on: db)
    }

    /// The models' rows, ready to insert: on SQLite each value is already converted as
    /// SQLiteKit converts it (a structure to its JSON text), so that a bulk load can do this
    /// work on one core while the previous batch is written on the other (issue 12: the
    /// JSON encoding was a quarter of `convene seed`'s time, all of it in the writing task).
    /// Models without an id are given one.
    public func bulkRows(for db: any Database, now: Date = Date()) throws -> BulkRows {
        guard let sql = db as? any SQLDatabase else {
            throw BulkInsertError.notSQL
        }
        for model in self where model.id == nil {
            model.id = UUID()
        }
        var rows = map { $0.bulkValues(now: now) }
        if sql.dialect.name == "sqlite" {
            let encoder = SQLiteDataEncoder()
            for r in rows.indices {
                for c in rows[r].indices {
                    if let bind = rows[r][c] as? SQLBind {
                        rows[r][c] = try BulkRows.converted(bind, encoder)
                    }
                }
            }
        }
        return BulkRows(schema: Element.schema, columns: Element.bulkColumns, rows: rows)
    }
}

/// One table's rows for a bulk load (`bulkRows(for:)`).
public struct BulkRows: Sendable {
    let schema: String
    let columns: [String]
    let rows: [[any SQLExpression]]

    /// A value bound exactly as SQLiteKit would bind it, already converted: text, integer and
    /// real values go to SQLite unchanged, so the stored row is the same.
    static func converted(_ bind: SQLBind, _ encoder: SQLiteDataEncoder) throws -> any SQLExpression {
        switch try encoder.encode(bind.encodable) {
        case let .text(text): SQLBind(text)
        case let .integer(number): SQLBind(number)
        case let .float(number): SQLBind(number)
        case .null: SQLLiteral.null
        case .blob: bind
        }
    }

    /// Inserts the rows in as few statements as the drivers' limits on bound values allow.
    /// The caller supplies the transaction.
    public func insert(on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        guard let sql = db as? any SQLDatabase else {
            throw BulkInsertError.notSQL
        }
        // SQLite allows 32,766 bound values in one statement and PostgreSQL 65,535.
        let rowsPerStatement = Swift.max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = Swift.min(start + rowsPerStatement, rows.count)
            let insert = sql.insert(into: schema).columns(columns)
            for row in rows[start..<end] {
                insert.values(row)
            }
            try await insert.run()
            start = end
        }
    }
}

public enum BulkInsertError: Error, CustomStringConvertible {
    case notSQL
    public var description: String { "Bulk inserts need an SQL database (SQLite or PostgreSQL)." }
}

/// A field's value bound as FluentSQL's query converter binds it: an empty optional is `NULL`,
/// anything else an `SQLBind` of the value.
@inline(__always) func bound(_ value: some Encodable & Sendable) -> any SQLExpression {
    if let optional = value as? any AnyOptionalType, optional.wrappedValue == nil {
        return SQLLiteral.null
    }
    return SQLBind(value)
}

extension Case: BulkInsertable {
    public static let bulkColumns = ["id", "organisation_id", "team_id", "reference", "case_type", "complex", "immediate_concerns",
                                     "concerns", "concern_received_at", "closed", "created_at"]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound($organisation.id), bound($team.id), bound(reference), bound(caseType), bound(complex),
         bound(immediateConcerns), bound(concerns), bound(concernReceivedAt), bound(closed), bound(createdAt ?? now)]
    }
}

extension CaseChild: BulkInsertable {
    public static let bulkColumns = ["id", "case_id", "organisation_id", "position", "name", "search_name", "date_of_birth", "details"]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound($case.id), bound(organisationID), bound(position), bound(name), bound(searchName), bound(dateOfBirth),
         bound(details)]
    }
}

extension Discussion: BulkInsertable {
    public static let bulkColumns = [
        "id", "organisation_id", "team_id", "case_id", "sequence", "parent_id", "reference", "stage", "urgency", "request",
        "requested_by", "requested_at", "decided_by", "decided_at", "decision_reason", "slot_start", "slot_end", "booked_by",
        "meeting_format", "meeting_details", "chair_id", "minute_taker_id", "started_at", "quoracy", "content", "record_version",
        "finalised_at", "authorised_by", "authorised_at", "circulated_at", "cancellation", "next_due", "next_duty", "lock_version",
        "seal", "created_at", "updated_at", "early_start_reason", "calendar_id", "teleconference",
    ]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound(organisationID), bound(teamID), bound($case.id), bound(sequence), bound(parentID), bound(reference),
         bound(stage), bound(urgency), bound(request), bound(requestedBy), bound(requestedAt), bound(decidedBy), bound(decidedAt),
         bound(decisionReason), bound(slotStart), bound(slotEnd), bound(bookedBy), bound(meetingFormat), bound(meetingDetails),
         bound(chairID), bound(minuteTakerID), bound(startedAt), bound(quoracy), bound(content), bound(recordVersion),
         bound(finalisedAt), bound(authorisedBy), bound(authorisedAt), bound(circulatedAt), bound(cancellation), bound(nextDue),
         bound(nextDuty), bound(lockVersion), bound(seal), bound(createdAt ?? now), bound(updatedAt ?? now), bound(earlyStartReason),
         bound(calendarID), bound(teleconference)]
    }
}

extension Invitation: BulkInsertable {
    public static let bulkColumns = [
        "id", "discussion_id", "organisation_id", "person_id", "name", "email", "agency", "role", "rule", "reason", "invited",
        "sent_at", "attendance", "access_token_hash", "access_expires_at", "access_device_hash", "circulated_version",
        "circulated_at", "opened_at", "created_at", "phone",
    ]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound($discussion.id), bound(organisationID), bound(personID), bound(name), bound(email), bound(agency),
         bound(role), bound(rule), bound(reason), bound(invited), bound(sentAt), bound(attendance), bound(accessTokenHash),
         bound(accessExpiresAt), bound(accessDeviceHash), bound(circulatedVersion), bound(circulatedAt), bound(openedAt),
         bound(createdAt ?? now), bound(phone)]
    }
}

extension ChildDecisionRecord: BulkInsertable {
    public static let bulkColumns = ["id", "discussion_id", "child_id", "decision", "updated_by", "updated_at"]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound($discussion.id), bound(childID), bound(decision), bound(updatedBy), bound(updatedAt ?? now)]
    }
}

extension AuditEntry: BulkInsertable {
    public static let bulkColumns = [
        "id", "seq", "at", "organisation_id", "actor_id", "actor_name", "action", "object_type", "object_id", "case_id",
        "child_ids", "reason", "detail", "ip", "prev_hash", "hash", "flagged",
    ]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound(seq), bound(at), bound(organisationID), bound(actorID), bound(actorName), bound(action), bound(objectType),
         bound(objectID), bound(caseID), bound(childIDs), bound(reason), bound(detail), bound(ip), bound(prevHash), bound(hash),
         bound(flagged)]
    }
}

extension ActionRecord: BulkInsertable {
    public static let bulkColumns = [
        "id", "discussion_id", "organisation_id", "team_id", "kind", "term", "what", "owner", "owner_person_id", "agency", "due",
        "purpose", "review", "child_id", "status", "status_note", "completed_at", "created_at", "updated_at",
    ]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound($discussion.id), bound(organisationID), bound(teamID), bound(kind), bound(term), bound(what), bound(owner),
         bound(ownerPersonID), bound(agency), bound(due), bound(purpose), bound(review), bound(childID), bound(status),
         bound(statusNote), bound(completedAt), bound(createdAt ?? now), bound(updatedAt ?? now)]
    }
}

extension RecordVersion: BulkInsertable {
    public static let bulkColumns = ["id", "discussion_id", "number", "kind", "snapshot", "sha256", "created_by", "note", "seal",
                                     "created_at"]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound($discussion.id), bound(number), bound(kind), bound(snapshot), bound(sha256), bound(createdBy), bound(note),
         bound(seal), bound(createdAt ?? now)]
    }
}

extension CalendarCell: BulkInsertable {
    public static let bulkColumns = ["id", "organisation_id", "resource", "lane", "cell_start", "discussion_id"]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound(organisationID), bound(resource), bound(lane), bound(cellStart), bound(discussionID)]
    }
}

extension SlotCell: BulkInsertable {
    public static let bulkColumns = ["id", "organisation_id", "cell_start", "discussion_id"]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound(organisationID), bound(cellStart), bound(discussionID)]
    }
}

extension DiscussionFactsRecord: BulkInsertable {
    public static let bulkColumns = ["id", "organisation_id", "team_id", "case_id", "pack_id", "urgency", "requested_at", "held_at",
                                     "deferred_since", "convening_timeliness", "convening_due", "convening_late_reason", "facts",
                                     "updated_at"]
    public func bulkValues(now: Date) -> [any SQLExpression] {
        [bound(id), bound(organisationID), bound(teamID), bound(caseID), bound(packID), bound(urgency), bound(requestedAt),
         bound(heldAt), bound(deferredSince), bound(conveningTimeliness), bound(conveningDue), bound(conveningLateReason),
         bound(facts), bound(updatedAt)]
    }
}

/// Writing a bulk load's batches (`convene seed`; issue 12: a million discussions in minutes).
///
/// On SQLite each batch commits without waiting for the disk (`synchronous = NORMAL` on its
/// connection, for that transaction only): in write-ahead-log mode the file stays consistent
/// through a crash or power cut, which can lose only the last batches of synthetic data, never
/// corrupt what was there. The log is copied into the file every `restartEvery` batches rather
/// than at every commit (SQLite's own checkpoint every 1,000 pages ran in each batch's commit,
/// with its waits for the disk). Measured on 20,000 discussions: 67 s before, 52–55 s after.
/// A background checkpoint on another connection was tried too: it competed for the disk and
/// gained nothing. Every other write keeps `synchronous = FULL` and SQLite's own checkpoints;
/// PostgreSQL, and a batch inside the caller's own transaction, are written as they would be
/// otherwise.
public enum BulkLoad {
    /// Every this many batches the writer copies the log into the file and starts it afresh
    /// (the log then holds at most about 200 MB of a seed's batches).
    static let restartEvery = 32

    /// Writes one batch's tables in one transaction. `batch` counts from 1.
    public static func write(_ tables: [BulkRows], batch: Int, on db: any Database) async throws {
        // Inside a caller's transaction (the demonstration's data) the batch is part of it, as is
        // its durability: SQLite refuses to change it mid-transaction.
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite", !db.inTransaction else {
            try await db.transaction { tx in
                for rows in tables { try await rows.insert(on: tx) }
            }
            return
        }
        try await db.withConnection { connection in
            guard let sql = connection as? any SQLDatabase else { throw BulkInsertError.notSQL }
            try await sql.raw("PRAGMA synchronous = NORMAL").run()
            try await sql.raw("PRAGMA wal_autocheckpoint = 0").run()
            do {
                try await connection.transaction { tx in
                    for rows in tables { try await rows.insert(on: tx) }
                }
                if batch % restartEvery == 0 {
                    try await sql.raw("PRAGMA wal_checkpoint(RESTART)").run()
                }
            } catch {
                try? await restore(sql)
                throw error
            }
            try await restore(sql)
        }
    }

    /// The connection's usual settings (`DatabaseTuning.prepare`, and SQLite's default of a
    /// checkpoint every 1,000 pages), before it goes back to the pool.
    private static func restore(_ sql: any SQLDatabase) async throws {
        try await sql.raw("PRAGMA synchronous = FULL").run()
        try await sql.raw("PRAGMA wal_autocheckpoint = 1000").run()
    }
}
