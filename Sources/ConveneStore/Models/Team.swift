import FluentKit
import Foundation

public final class Team: Model, @unchecked Sendable {
    public static let schema = "teams"

    @ID public var id: UUID?
    @Parent(key: "organisation_id") public var organisation: Organisation
    @Field(key: "name") public var name: String
    @Field(key: "locality") public var locality: String
    /// The areas the team covers (REQ-003-01: an s47 enquiry goes to the team of the child's area).
    @OptionalField(key: "areas") public var areas: [String]?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, organisationID: UUID, name: String, locality: String) {
        self.id = id
        $organisation.id = organisationID
        self.name = name
        self.locality = locality
    }
}

extension Team {
    /// Fluent's properties, listed here: its default finds them by reflection on every query
    /// and every row (a fifth of a read's time, issue 12). `ModelPropertiesTests` checks this
    /// list against the reflected one for every model.
    public var properties: [any AnyProperty] {
        [
            $id, $organisation, $name, $locality, $areas, $createdAt,
        ]
    }
}
