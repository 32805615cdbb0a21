import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Whole rows of a model read by a condition written in SQL, for the reads every page and API
/// call makes (the signed-in person, a discussion with its case, children and invitations, the
/// case's timeline). Fluent's query builder turns each query into SQL afresh, quoting and
/// escaping every column name of the model several times over (about a seventh of a read's
/// time, issue 12); here the statement is `SELECT * FROM <schema> WHERE <condition>` and each
/// row becomes a model through Fluent's own decoding, so it is the same model a Fluent query
/// returns (it exists, and saving it updates only what changed).
///
/// Conditions name our own columns and carry every value as a bind:
/// `Rows.all(Invitation.self, "discussion_id = \(bind: id) ORDER BY created_at", on: db)`.
public enum Rows {
    /// The rows matching `condition` (which may end with `ORDER BY`).
    public static func all<M: Model>(_ type: M.Type, _ condition: SQLQueryString, on db: any Database) async throws -> [M] {
        try await select(type, condition, on: db).all().map { try $0.decode(fluentModel: M.self) }
    }

    /// The first row matching `condition`, if any.
    public static func first<M: Model>(_ type: M.Type, _ condition: SQLQueryString, on db: any Database) async throws -> M? {
        try await select(type, condition + " LIMIT 1", on: db).first().map { try $0.decode(fluentModel: M.self) }
    }

    /// The row with this id, if any.
    public static func find<M: Model>(_ type: M.Type, _ id: UUID, on db: any Database) async throws -> M? where M.IDValue == UUID {
        try await first(type, "id = \(bind: id)", on: db)
    }

    private static func select<M: Model>(_ type: M.Type, _ condition: SQLQueryString, on db: any Database) throws
        -> SQLRawBuilder
    {
        guard let sql = db as? any SQLDatabase else { throw BulkInsertError.notSQL }
        return sql.raw("SELECT * FROM \(unsafeRaw: M.schema) WHERE " + condition)
    }
}
