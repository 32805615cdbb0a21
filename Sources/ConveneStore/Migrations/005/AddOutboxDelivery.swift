import FluentKit
import SQLKit

/// Issue 11: the outbox becomes a delivery queue: kind, status, attempts and backoff, a lease
/// for the worker holding a row, the stable Message-ID, the calendar part, the recipient's
/// person and invitation, and a key that keeps each reminder to one row per person.
///
/// Rows written before this release were never sent: they become `failed` with a note, so an
/// administrator sees them and resends what is still needed instead of the first start of
/// the worker mailing weeks-old notices.
struct AddOutboxDelivery: AsyncMigration {
    static let columns: [(String, DatabaseSchema.DataType, [DatabaseSchema.FieldConstraint])] = [
        ("kind", .string, [.required, .sql(.default("notice"))]),
        ("status", .string, [.required, .sql(.default("queued"))]),
        ("attempts", .int, [.required, .sql(.default(0))]),
        ("next_attempt_at", .datetime, []),
        ("claimed_by", .string, []),
        ("claimed_until", .datetime, []),
        ("last_error", .string, []),
        ("failed_at", .datetime, []),
        ("transport", .string, []),
        ("provider_reference", .string, []),
        ("message_id", .string, []),
        ("dedupe_key", .string, []),
        ("reference", .string, []),
        ("calendar_method", .string, []),
        ("calendar_ics", .string, []),
        ("person_id", .uuid, []),
        ("invitation_id", .uuid, []),
        ("digest_at", .datetime, []),
    ]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one column at a time.
        for (name, type, constraints) in Self.columns {
            try await database.schema(OutboxMessage.schema)
                .field(.definition(name: .key(FieldKey(stringLiteral: name)), dataType: type, constraints: constraints))
                .update()
        }
        let sql = database as! any SQLDatabase
        try await sql.raw("UPDATE outbox SET status = 'sent' WHERE sent_at IS NOT NULL").run()
        try await sql.raw("""
            UPDATE outbox SET status = 'failed', last_error = 'Written before Convene sent mail (release 005): resend it if it is still needed'
            WHERE sent_at IS NULL
            """).run()
        // The worker's claim looks for due rows by status and time.
        try await sql.raw("CREATE INDEX outbox_due ON outbox (status, next_attempt_at)").run()
        try await sql.raw("CREATE UNIQUE INDEX outbox_message_id ON outbox (message_id)").run()
        try await sql.raw("CREATE UNIQUE INDEX outbox_dedupe_key ON outbox (dedupe_key)").run()
        try await sql.raw("CREATE INDEX outbox_discussion ON outbox (discussion_id, invitation_id)").run()
        try await sql.raw("CREATE INDEX outbox_digest ON outbox (person_id, status, digest_at)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in ["outbox_due", "outbox_message_id", "outbox_dedupe_key", "outbox_discussion", "outbox_digest"] {
            try await sql.raw("DROP INDEX \(unsafeRaw: index)").run()
        }
        for (name, _, _) in Self.columns.reversed() {
            try await database.schema(OutboxMessage.schema).deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}
