import FluentKit
import SQLKit

/// Bookings per calendar, chair or default calendar, in lanes up to the pack's capacity
/// (SLOT-ALL-01). Replaces `slot_cells`, whose unique index made one booking block the whole
/// authority; its rows are copied to the authority's default calendar.
struct CreateCalendarCells: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CalendarCell.schema)
            .id()
            .field("organisation_id", .uuid, .required)
            .field("resource", .string, .required)
            .field("lane", .int, .required)
            .field("cell_start", .datetime, .required)
            .field("discussion_id", .uuid, .required, .references(Discussion.schema, "id"))
            .unique(on: "resource", "lane", "cell_start")
            .create()
        try await Index.create("calendar_cells_discussion", on: CalendarCell.schema, ["discussion_id"], database)
        for old in try await SlotCell.query(on: database).all() {
            try await CalendarCell(organisationID: old.organisationID, resource: CalendarCell.organisation(old.organisationID),
                                   lane: 0, cellStart: old.cellStart, discussionID: old.discussionID).create(on: database)
        }
        try await SlotCell.query(on: database).delete()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CalendarCell.schema).delete()
    }
}
