import FluentKit

/// The calendar a discussion is booked in, where its pack books against calendars.
struct AddDiscussionCalendar: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Discussion.schema)
            .field("calendar_id", .uuid)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Discussion.schema).deleteField("calendar_id").update()
    }
}
