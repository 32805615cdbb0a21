import FluentKit
import Foundation

/// One booked piece of a calendar, chair's diary or the authority's default calendar (the
/// `resource`). A booking occupies every 15-minute cell of its meeting in one lane; a
/// resource has as many lanes as discussions run at once on it (the pack's `capacity`). The
/// unique index on (resource, lane, cell) means no lane is ever double-booked, however many
/// app servers race (SLOT-ALL-01).
public final class CalendarCell: Model, @unchecked Sendable {
    public static let schema = "calendar_cells"
    public static let cellSeconds = 900

    @ID public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    /// `calendar:<id>`, `chair:<person id>` or `organisation:<id>` (the default calendar).
    @Field(key: "resource") public var resource: String
    @Field(key: "lane") public var lane: Int
    @Field(key: "cell_start") public var cellStart: Date
    @Field(key: "discussion_id") public var discussionID: UUID

    public init() {}

    public init(organisationID: UUID, resource: String, lane: Int, cellStart: Date, discussionID: UUID) {
        self.organisationID = organisationID
        self.resource = resource
        self.lane = lane
        self.cellStart = cellStart
        self.discussionID = discussionID
    }

    public static func calendar(_ id: UUID) -> String { "calendar:" + id.uuidString.lowercased() }
    public static func chair(_ id: UUID) -> String { "chair:" + id.uuidString.lowercased() }
    public static func organisation(_ id: UUID) -> String { "organisation:" + id.uuidString.lowercased() }

    /// The cells a meeting from `start` to `end` occupies.
    public static func cells(from start: Date, to end: Date) -> [Date] {
        SlotCell.cells(from: start, to: end)
    }
}

extension CalendarCell {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisationID, $resource, $lane, $cellStart, $discussionID,
        ]
    }
}
