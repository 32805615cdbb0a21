import FluentKit
import Foundation

/// A booking calendar an authority sets up where its procedure books against one (SLOT-*):
/// Hertfordshire's teleconference line, one per Bradford locality mailbox. A discussion of a
/// team is booked in the calendar of the team's locality unless the booker chooses another.
public final class BookingCalendar: Model, @unchecked Sendable {
    public static let schema = "calendars"

    @ID public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "name") public var name: String
    /// The locality whose teams book here by default; empty for any.
    @Field(key: "locality") public var locality: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, organisationID: UUID, name: String, locality: String = "") {
        self.id = id
        self.organisationID = organisationID
        self.name = name
        self.locality = locality
    }
}

extension BookingCalendar {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisationID, $name, $locality, $createdAt,
        ]
    }
}
