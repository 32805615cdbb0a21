import ConveneCore
import FluentKit
import Foundation

/// The children and family a series of strategy discussions is about: the initial discussion
/// and its review discussions share one case and one timeline of duties.
public final class Case: Model, @unchecked Sendable {
    public static let schema = "cases"

    @ID public var id: UUID?
    @Parent(key: "organisation_id") public var organisation: Organisation
    @Parent(key: "team_id") public var team: Team
    /// A reference that carries no personal data (ASVS-5.0-14.2.1), e.g. `SD-2026-00042`.
    @Field(key: "reference") public var reference: String
    @Field(key: "case_type") public var caseType: CaseType
    @Field(key: "complex") public var complex: Bool
    @Field(key: "immediate_concerns") public var immediateConcerns: Bool
    @Field(key: "concerns") public var concerns: [String]
    @Field(key: "concern_received_at") public var concernReceivedAt: Date
    @Field(key: "closed") public var closed: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Children(for: \.$case) public var children: [CaseChild]
    @Children(for: \.$case) public var discussions: [Discussion]

    public init() {}

    public init(id: UUID? = nil, organisationID: UUID, teamID: UUID, reference: String, request: DiscussionRequest) {
        self.id = id
        $organisation.id = organisationID
        $team.id = teamID
        self.reference = reference
        caseType = request.caseType
        complex = request.complex
        immediateConcerns = request.caseFacts.immediateConcerns
        concerns = request.concerns
        concernReceivedAt = request.concernReceivedAt
        closed = false
    }

    public var facts: CaseFacts {
        CaseFacts(type: caseType, complex: complex, immediateConcerns: immediateConcerns)
    }
}

/// A child of a case (REQ-001-01). The date of birth is a date, stored as `YYYY-MM-DD`.
public final class CaseChild: Model, @unchecked Sendable {
    public static let schema = "case_children"

    @ID public var id: UUID?
    @Parent(key: "case_id") public var `case`: Case
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "position") public var position: Int
    @Field(key: "name") public var name: String
    /// Lower-cased name for the auditors' "who viewed this child's records" search.
    @Field(key: "search_name") public var searchName: String
    @OptionalField(key: "date_of_birth") public var dateOfBirth: String?
    @Field(key: "details") public var details: ChildDetails

    public init() {}

    public init(caseID: UUID, organisationID: UUID, position: Int, details: ChildDetails) {
        id = details.id
        $case.id = caseID
        self.organisationID = organisationID
        self.position = position
        name = details.name
        searchName = details.name.lowercased()
        dateOfBirth = details.dateOfBirth?.description
        self.details = details
    }
}

extension Case {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisation, $team, $reference, $caseType, $complex, $immediateConcerns, $concerns,
            $concernReceivedAt, $closed, $createdAt, $children, $discussions,
        ]
    }
}

extension CaseChild {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $case, $organisationID, $position, $name, $searchName, $dateOfBirth, $details,
        ]
    }
}
