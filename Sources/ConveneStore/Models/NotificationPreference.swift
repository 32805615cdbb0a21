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
    /// Fluent's properties, listed here: its default finds them by reflection on every query
    /// and every row (a fifth of a read's time, issue 12). `ModelPropertiesTests` checks this
    /// list against the reflected one for every model.
    public var properties: [any AnyProperty] {
        [
            $id, $updatedAt, $kind, $delivery, $person,
        ]
    }
}
