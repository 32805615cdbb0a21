import ConveneCore
import FluentKit
import Foundation

/// One strategy discussion (meeting) of a case: the initial one or a review discussion.
public final class Discussion: Model, @unchecked Sendable {
    public static let schema = "discussions"

    @ID public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "team_id") public var teamID: UUID
    @Parent(key: "case_id") public var `case`: Case
    /// 1 for the initial discussion, 2… for review discussions.
    @Field(key: "sequence") public var sequence: Int
    @OptionalField(key: "parent_id") public var parentID: UUID?
    /// e.g. `SD-2026-00042/2`: no personal data.
    @Field(key: "reference") public var reference: String
    @Field(key: "stage") public var stage: DiscussionStage
    @Field(key: "urgency") public var urgency: Urgency
    @Field(key: "request") public var request: DiscussionRequest
    @Field(key: "requested_by") public var requestedBy: UUID
    @Field(key: "requested_at") public var requestedAt: Date

    // The team manager's decision to convene (REQ-001-02).
    @OptionalField(key: "decided_by") public var decidedBy: UUID?
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @Field(key: "decision_reason") public var decisionReason: String

    // Booking.
    @OptionalField(key: "slot_start") public var slotStart: Date?
    @OptionalField(key: "slot_end") public var slotEnd: Date?
    @OptionalField(key: "booked_by") public var bookedBy: UUID?
    /// The calendar booked in, where the pack books against calendars (nil: the default one).
    @OptionalField(key: "calendar_id") public var calendarID: UUID?
    @Field(key: "meeting_format") public var meetingFormat: String
    @Field(key: "meeting_details") public var meetingDetails: String
    /// REQ-002-01: the teleconference's duration, dial-in number and access code, where the pack asks.
    @OptionalField(key: "teleconference") public var teleconference: Teleconference?
    @OptionalField(key: "chair_id") public var chairID: UUID?
    @OptionalField(key: "minute_taker_id") public var minuteTakerID: UUID?

    // The meeting and its record.
    @OptionalField(key: "started_at") public var startedAt: Date?
    /// Why the meeting started before its booked slot (required when it did).
    @Field(key: "early_start_reason") public var earlyStartReason: String
    @OptionalField(key: "quoracy") public var quoracy: QuoracyCheck?
    @Field(key: "content") public var content: RecordContent
    @Field(key: "record_version") public var recordVersion: Int
    @OptionalField(key: "finalised_at") public var finalisedAt: Date?
    @OptionalField(key: "authorised_by") public var authorisedBy: UUID?
    @OptionalField(key: "authorised_at") public var authorisedAt: Date?
    @OptionalField(key: "circulated_at") public var circulatedAt: Date?
    @Field(key: "cancellation") public var cancellation: String

    /// The earliest open deadline, kept for the team page's ordering (recomputed on each change).
    @OptionalField(key: "next_due") public var nextDue: Date?
    @Field(key: "next_duty") public var nextDuty: String

    /// Optimistic lock: every update must name the version it read (two chairs never both
    /// succeed silently).
    @Field(key: "lock_version") public var lockVersion: Int
    /// HMAC of the content under a key held outside the database (`RecordSeal`): an edit made
    /// directly in the database is found by `convene audit verify` and refused when loaded.
    @Field(key: "seal") public var seal: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, organisationID: UUID, teamID: UUID, caseID: UUID, sequence: Int, parentID: UUID?,
                reference: String, request: DiscussionRequest, requestedBy: UUID, requestedAt: Date) {
        // The id is known before the row is written: the seal covers it.
        self.id = id ?? UUID()
        self.organisationID = organisationID
        self.teamID = teamID
        $case.id = caseID
        self.sequence = sequence
        self.parentID = parentID
        self.reference = reference
        stage = .requested
        urgency = request.urgency
        self.request = request
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        decisionReason = ""
        meetingFormat = ""
        meetingDetails = ""
        content = RecordContent()
        recordVersion = 0
        cancellation = ""
        earlyStartReason = ""
        nextDuty = ""
        lockVersion = 1
        seal = ""
    }
}

extension Discussion {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisationID, $teamID, $case, $sequence, $parentID, $reference, $stage, $urgency, $request,
            $requestedBy, $requestedAt, $decidedBy, $decidedAt, $decisionReason, $slotStart, $slotEnd,
            $bookedBy, $calendarID, $meetingFormat, $meetingDetails, $teleconference, $chairID, $minuteTakerID,
            $startedAt, $earlyStartReason, $quoracy, $content, $recordVersion, $finalisedAt, $authorisedBy,
            $authorisedAt, $circulatedAt, $cancellation, $nextDue, $nextDuty, $lockVersion, $seal, $createdAt,
            $updatedAt,
        ]
    }
}
