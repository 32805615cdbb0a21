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
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisation, $name, $locality, $areas, $createdAt,
        ]
    }
}
