import ConveneCore
import FluentKit
import Foundation

/// A signed-in session, kept in the database so several app servers share it. Only the
/// token's hash is stored. Idle and absolute timeouts are enforced on every request
/// (ASVS-5.0-7.3.1, 7.3.2).
public final class UserSession: Model, @unchecked Sendable {
    public static let schema = "user_sessions"

    @ID public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "person_id") public var person: Person
    /// Set for a session opened by an invitee's personal link: it reaches only that discussion.
    @OptionalField(key: "invitation_id") public var invitationID: UUID?
    @Field(key: "csrf_token") public var csrfToken: String
    /// Password accepted but the second factor not yet given.
    @Field(key: "second_factor_pending") public var secondFactorPending: Bool
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @Field(key: "ip") public var ip: String
    @Field(key: "user_agent") public var userAgent: String
    /// How it was opened: `password` (with the second factor where needed), `oidc` (the
    /// authority's directory) or `link` (an invitee's personal link).
    @Field(key: "method") public var method: String

    public init() {}

    public init(tokenHash: String, personID: UUID, invitationID: UUID? = nil, csrfToken: String, secondFactorPending: Bool,
                now: Date, expiresAt: Date, ip: String, userAgent: String, method: String = "password") {
        self.tokenHash = tokenHash
        $person.id = personID
        self.invitationID = invitationID
        self.csrfToken = csrfToken
        self.secondFactorPending = secondFactorPending
        createdAt = now
        lastSeenAt = now
        self.expiresAt = expiresAt
        self.ip = ip
        self.userAgent = String(userAgent.prefix(300))
        self.method = method
    }
}

/// Failed-attempt counters shared by all app servers (ASVS-5.0-6.3.1): per account and per
/// client address, in a fixed window.
public final class LoginThrottle: Model, @unchecked Sendable {
    public static let schema = "login_throttles"

    @ID public var id: UUID?
    @Field(key: "key") public var key: String
    @Field(key: "count") public var count: Int
    @Field(key: "window_start") public var windowStart: Date

    public init() {}

    public init(key: String, count: Int, windowStart: Date) {
        self.key = key
        self.count = count
        self.windowStart = windowStart
    }
}

/// Access to one discussion for someone outside its team or invitees: granted by a service
/// manager on a disclosure request, or taken by a manager's break-glass read. Always for a
/// stated purpose and period (REC-ALL-02).
public final class AccessGrant: Model, @unchecked Sendable {
    public static let schema = "access_grants"

    public enum Kind: String, Codable, CaseIterable, Sendable {
        case disclosure
        case breakGlass = "break-glass"
    }

    @ID public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "discussion_id") public var discussionID: UUID
    @Field(key: "kind") public var kind: Kind
    @Field(key: "purpose") public var purpose: String
    @Field(key: "granted_by") public var grantedBy: UUID
    @Field(key: "starts_at") public var startsAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "reviewed_by") public var reviewedBy: UUID?
    @OptionalField(key: "reviewed_at") public var reviewedAt: Date?
    @Field(key: "review_note") public var reviewNote: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(organisationID: UUID, personID: UUID, discussionID: UUID, kind: Kind, purpose: String, grantedBy: UUID,
                startsAt: Date, expiresAt: Date) {
        self.organisationID = organisationID
        self.personID = personID
        self.discussionID = discussionID
        self.kind = kind
        self.purpose = purpose
        self.grantedBy = grantedBy
        self.startsAt = startsAt
        self.expiresAt = expiresAt
        reviewNote = ""
    }
}

/// A request by a non-participant to see a discussion's minutes, decided by a service manager
/// with reasons recorded (REC-ALL-02, REC-002-02).
public final class DisclosureRequest: Model, @unchecked Sendable {
    public static let schema = "disclosure_requests"

    public enum Status: String, Codable, CaseIterable, Sendable {
        case pending, granted, refused
    }

    @ID public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "discussion_id") public var discussionID: UUID
    @Field(key: "requester_id") public var requesterID: UUID
    @Field(key: "purpose") public var purpose: String
    @Field(key: "days") public var days: Int
    @Field(key: "status") public var status: Status
    @OptionalField(key: "decided_by") public var decidedBy: UUID?
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @Field(key: "decision_reason") public var decisionReason: String
    @OptionalField(key: "grant_id") public var grantID: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(organisationID: UUID, discussionID: UUID, requesterID: UUID, purpose: String, days: Int) {
        self.organisationID = organisationID
        self.discussionID = discussionID
        self.requesterID = requesterID
        self.purpose = purpose
        self.days = days
        status = .pending
        decisionReason = ""
    }
}

/// A personal API token (sent as `Authorization: Bearer …`); only its hash is stored.
public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    @ID public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "name") public var name: String
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(personID: UUID, tokenHash: String, name: String, expiresAt: Date) {
        $person.id = personID
        self.tokenHash = tokenHash
        self.name = name
        self.expiresAt = expiresAt
    }
}

extension UserSession {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $tokenHash, $person, $invitationID, $csrfToken, $secondFactorPending, $createdAt, $lastSeenAt,
            $expiresAt, $revokedAt, $ip, $userAgent, $method,
        ]
    }
}

extension LoginThrottle {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $key, $count, $windowStart,
        ]
    }
}

extension AccessGrant {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisationID, $personID, $discussionID, $kind, $purpose, $grantedBy, $startsAt, $expiresAt,
            $reviewedBy, $reviewedAt, $reviewNote, $createdAt,
        ]
    }
}

extension DisclosureRequest {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $organisationID, $discussionID, $requesterID, $purpose, $days, $status, $decidedBy, $decidedAt,
            $decisionReason, $grantID, $createdAt,
        ]
    }
}

extension APIToken {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $person, $tokenHash, $name, $expiresAt, $lastUsedAt, $revokedAt, $createdAt,
        ]
    }
}
