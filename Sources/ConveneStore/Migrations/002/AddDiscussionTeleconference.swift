import FluentKit

/// REQ-002-01: a booked teleconference's duration, dial-in number and access code, as fields.
struct AddDiscussionTeleconference: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Discussion.schema).field("teleconference", .json).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Discussion.schema).deleteField("teleconference").update()
    }
}
