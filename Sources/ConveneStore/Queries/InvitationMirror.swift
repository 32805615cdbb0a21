import FluentKit
import FluentSQLiteDriver
import Foundation
import SQLKit

/// Each invitation carries what the lists order and skip its discussion by: the discussion's
/// team, reference, meeting time and next deadline (columns of the `invitations` table that
/// are not fields of `Invitation`, so that no save of a stale invitation can write them). With
/// them a person's invitations are read in a list's order from an index and only a page of them
/// is joined to their discussions, and a team manager's invitations to their own team's
/// discussions (already in the team's list) are skipped in the index: a list costs a page,
/// not every invitation the person ever had (issue 12).
///
/// This is the one place they are kept: whenever a discussion is saved or an invitation created
/// (`DiscussionMirrorMiddleware`, `InvitationMirrorMiddleware`, on every keyed database), in the
/// same transaction; the seeder writes them with its rows; migration 011 filled them in.
public enum InvitationMirror {
    /// The mirrored columns, named as in `discussions`.
    static let columns = ["team_id", "reference", "slot_start", "next_due"]

    static var assignment: SQLQueryString {
        """
        (team_id, reference, slot_start, next_due) = \
        (SELECT d.team_id, d.reference, d.slot_start, d.next_due FROM \(ident: Discussion.schema) d WHERE d.id = \(ident: Invitation.schema).discussion_id)
        """
    }

    /// Copies the discussions' values to all of their invitations.
    public static func refresh(discussions ids: [UUID], on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        let sql = try sql(db)
        try await sql.raw("UPDATE \(ident: Invitation.schema) SET " + assignment + " WHERE discussion_id IN (\(binds: ids))").run()
    }

    /// Copies its discussion's values to one invitation.
    static func refresh(invitation id: UUID, on db: any Database) async throws {
        let sql = try sql(db)
        try await sql.raw("UPDATE \(ident: Invitation.schema) SET " + assignment + " WHERE id = \(bind: id)").run()
    }

    /// Every invitation (migration 011).
    static func refreshAll(on db: any Database) async throws {
        let sql = try sql(db)
        try await sql.raw("UPDATE \(ident: Invitation.schema) SET " + assignment).run()
    }

    /// Invitations for a bulk load with their discussions' values (the seeder: the discussions
    /// are written in the same transaction, and no middleware runs for bulk rows).
    public static func bulkRows(_ invitations: [Invitation], of discussions: [Discussion], for db: any Database) throws -> BulkRows {
        let rows = try invitations.bulkRows(for: db)
        let byID = Dictionary(discussions.compactMap { d in d.id.map { ($0, d) } }, uniquingKeysWith: { a, _ in a })
        let converted = try rows.rows.indices.map { index -> [any SQLExpression] in
            let invitation = invitations[index]
            guard let d = byID[invitation.$discussion.id] else { throw MirrorError.missingDiscussion(invitation.$discussion.id) }
            var extra: [any SQLExpression] = [bound(d.teamID), bound(d.reference), bound(d.slotStart), bound(d.nextDue)]
            if (db as? any SQLDatabase)?.dialect.name == "sqlite" {
                let encoder = SQLiteDataEncoder()
                extra = try extra.map { value in try (value as? SQLBind).map { try BulkRows.converted($0, encoder) } ?? value }
            }
            return rows.rows[index] + extra
        }
        return BulkRows(schema: rows.schema, columns: rows.columns + columns, rows: converted)
    }

    private static func sql(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw BulkInsertError.notSQL }
        return sql
    }

    enum MirrorError: Error, CustomStringConvertible {
        case missingDiscussion(UUID)
        var description: String {
            switch self {
            case let .missingDiscussion(id): "An invitation's discussion \(id) is not among the rows being written"
            }
        }
    }
}

/// Keeps the invitations' copies of a discussion's list columns whenever it is saved.
struct DiscussionMirrorMiddleware: AsyncModelMiddleware {
    func update(model: Discussion, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        try await InvitationMirror.refresh(discussions: [try model.requireID()], on: db)
    }
}

/// Gives a new invitation its discussion's list columns.
struct InvitationMirrorMiddleware: AsyncModelMiddleware {
    func create(model: Invitation, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        try await InvitationMirror.refresh(invitation: try model.requireID(), on: db)
    }
}
