import ConveneCore
import FluentKit
import Foundation

/// Issue 13 (speed): the convening deadline of each discussion's facts as columns of their own,
/// so the twelve-month trend of the performance view is one indexed read of a few scalars
/// (held at, status, deadline, late reason) instead of decoding every discussion's facts.
/// Existing rows are filled in from their stored facts, a page at a time.
struct AddDiscussionFactsConvening: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        try await database.schema(DiscussionFactsRecord.schema).field("convening_timeliness", .string).update()
        try await database.schema(DiscussionFactsRecord.schema).field("convening_due", .datetime).update()
        try await database.schema(DiscussionFactsRecord.schema).field("convening_late_reason", .bool).update()
        try await Self.fill(on: database)
        try await Index.create("discussion_facts_team_held", on: DiscussionFactsRecord.schema,
                               ["organisation_id", "team_id", "held_at"], database)
    }

    /// Copies each row's convening deadline from its stored facts into the columns, 500 rows
    /// to a transaction.
    static func fill(on database: any Database) async throws {
        var after: UUID?
        while true {
            var query = DiscussionFactsRecord.query(on: database).sort(\.$id).limit(500)
            if let after { query = query.filter(\.$id > after) }
            let rows = try await query.all()
            guard let last = rows.last else { break }
            after = last.id
            try await database.transaction { db in
                for row in rows {
                    let convening = row.facts.convening
                    row.conveningTimeliness = convening?.timeliness
                    row.conveningDue = convening?.due
                    row.conveningLateReason = convening?.lateReason
                    try await row.save(on: db)
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await Index.drop("discussion_facts_team_held", database)
        for field in ["convening_late_reason", "convening_due", "convening_timeliness"] {
            try await database.schema(DiscussionFactsRecord.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
