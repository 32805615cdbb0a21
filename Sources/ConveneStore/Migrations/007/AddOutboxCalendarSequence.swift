import FluentKit

/// Issue 11: the SEQUENCE of a message's calendar part, kept beside it so a rearrangement or
/// cancellation sends the next one and a late invitee or the `.ics` download gets the current
/// one (RFC 5545: the newest SEQUENCE wins whatever order messages arrive in).
struct AddOutboxCalendarSequence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).field("calendar_sequence", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).deleteField("calendar_sequence").update()
    }
}
