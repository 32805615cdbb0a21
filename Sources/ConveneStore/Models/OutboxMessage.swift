import FluentKit
import Foundation

/// Where a message stands (issue 11). The delivery worker moves `queued` to `sending` when it
/// claims the row (with a lease), then to `sent`, back to `queued` for a retry, or to `failed`
/// after the last try. Reminders a person takes as a digest wait as `digest` until the digest
/// that carries them is written (`digested`); `skipped` records one the person switched off,
/// so the same reminder is not decided again.
public enum OutboxStatus: String, CaseIterable, Codable, Sendable {
    case queued
    case sending
    case sent
    case failed
    case digest
    case digested
    case skipped

    public var label: String {
        switch self {
        case .queued: "Queued"
        case .sending: "Sending"
        case .sent: "Sent"
        case .failed: "Failed"
        case .digest: "Waiting for the daily digest"
        case .digested: "Sent in a digest"
        case .skipped: "Not sent (switched off)"
        }
    }
}

/// One message to one person, written to the outbox in the same transaction as the change
/// that causes it and sent by the delivery worker. It carries a reference and a personal link,
/// never a child's name, date of birth or address (MessageContentPolicy).
public final class OutboxMessage: Model, @unchecked Sendable {
    public static let schema = "outbox"

    // managed
    @ID public var id: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    // data: what and to whom
    @Field(key: "organisation_id") public var organisationID: UUID
    /// A `NoticeKind` raw value; `notice` for rows written before migration 005.
    @Field(key: "kind") public var kind: String
    @Field(key: "to_email") public var toEmail: String
    @Field(key: "to_name") public var toName: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    /// The discussion's or case's reference (`SD-2026-0042`).
    @OptionalField(key: "reference") public var reference: String?
    /// `REQUEST` or `CANCEL` with the iCalendar text, for invitations, rearrangements and
    /// cancellations (RFC 5545, the UID stable per discussion and SEQUENCE raised).
    @OptionalField(key: "calendar_method") public var calendarMethod: String?
    @OptionalField(key: "calendar_ics") public var calendarICS: String?
    /// The SEQUENCE of the calendar part: raised on every rearrangement and the cancellation (migration 007).
    @OptionalField(key: "calendar_sequence") public var calendarSequence: Int?
    /// The Message-ID (without angle brackets), fixed when the row is written: a retry of the
    /// same row is recognisably the same message.
    @OptionalField(key: "message_id") public var messageID: String?
    /// Unique when set: one row per reminder threshold and person, so none is sent twice.
    @OptionalField(key: "dedupe_key") public var dedupeKey: String?

    // relationships (plain ids: a row outlives what it was about)
    @OptionalField(key: "discussion_id") public var discussionID: UUID?
    @OptionalField(key: "person_id") public var personID: UUID?
    @OptionalField(key: "invitation_id") public var invitationID: UUID?

    // delivery
    @Field(key: "status") public var status: OutboxStatus
    @Field(key: "attempts") public var attempts: Int
    /// Not to be tried before this (a retry's backoff); nil means at once.
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    /// The worker holding the row while it sends, and until when (its lease).
    @OptionalField(key: "claimed_by") public var claimedBy: String?
    @OptionalField(key: "claimed_until") public var claimedUntil: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @OptionalField(key: "failed_at") public var failedAt: Date?
    /// `smtp`, `notify` or `log`, and what the provider called it (Notify's id, the relay's reply).
    @OptionalField(key: "transport") public var transport: String?
    @OptionalField(key: "provider_reference") public var providerReference: String?
    /// When a `digest` row goes out in its person's digest.
    @OptionalField(key: "digest_at") public var digestAt: Date?

    public init() {}

    public init(id: UUID? = nil, organisationID: UUID, kind: String = "notice", toEmail: String, toName: String, subject: String,
                body: String, discussionID: UUID?, reference: String? = nil, personID: UUID? = nil, invitationID: UUID? = nil,
                messageID: String? = nil, dedupeKey: String? = nil, status: OutboxStatus = .queued) {
        self.id = id
        self.organisationID = organisationID
        self.kind = kind
        self.toEmail = toEmail
        self.toName = toName
        self.subject = subject
        self.body = body
        self.discussionID = discussionID
        self.reference = reference
        self.personID = personID
        self.invitationID = invitationID
        self.messageID = messageID
        self.dedupeKey = dedupeKey
        self.status = status
        attempts = 0
    }
}

extension OutboxMessage {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $createdAt, $organisationID, $kind, $toEmail, $toName, $subject, $body, $reference,
            $calendarMethod, $calendarICS, $calendarSequence, $messageID, $dedupeKey, $discussionID, $personID,
            $invitationID, $status, $attempts, $nextAttemptAt, $claimedBy, $claimedUntil, $lastError, $sentAt,
            $failedAt, $transport, $providerReference, $digestAt,
        ]
    }
}
