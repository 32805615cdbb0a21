import FluentKit
import Foundation

/// One person's choice for one kind of notice (issue 11): `immediately`, `daily-digest` or
/// `off`. Absent means at once. ConveneCore's `NotificationPreferences` holds the rules
/// (statutory kinds cannot be changed); this is only how a choice is kept.
public final class NotificationPreference: Model, @unchecked Sendable {
    public static let schema = "notification_preferences"

    // managed
    @ID public var id: UUID?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    // data
    /// A `NoticeKind` raw value.
    @Field(key: "kind") public var kind: String
    /// A `NoticeDelivery` raw value.
    @Field(key: "delivery") public var delivery: String

    // relationships
    @Parent(key: "person_id") public var person: Person

    public init() {}

    public init(personID: UUID, kind: String, delivery: String) {
        $person.id = personID
        self.kind = kind
        self.delivery = delivery
    }
}

extension NotificationPreference {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $updatedAt, $kind, $delivery, $person,
        ]
    }
}
