import FluentKit

/// Booking calendars an authority sets up (issue 16: capacity belongs to a calendar).
struct CreateCalendars: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BookingCalendar.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id"))
            .field("name", .string, .required)
            .field("locality", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "organisation_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BookingCalendar.schema).delete()
    }
}
