import FluentKit
import Foundation

/// REQ-002-01: the personal link to one invitee's extract of a teleconference request, and the
/// access code sent separately that opens it ("password protected"). Only hashes are kept;
/// after five wrong codes the link is locked.
public final class ExtractAccess: Model, @unchecked Sendable {
    public static let schema = "extract_accesses"
    public static let maxAttempts = 5

    @ID public var id: UUID?
    @Field(key: "discussion_id") public var discussionID: UUID
    @Field(key: "invitation_id") public var invitationID: UUID
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "code_hash") public var codeHash: String
    @Field(key: "expires_at") public var expiresAt: Date
    @Field(key: "failed_attempts") public var failedAttempts: Int
    @OptionalField(key: "opened_at") public var openedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(discussionID: UUID, invitationID: UUID, tokenHash: String, codeHash: String, expiresAt: Date) {
        self.discussionID = discussionID
        self.invitationID = invitationID
        self.tokenHash = tokenHash
        self.codeHash = codeHash
        self.expiresAt = expiresAt
        failedAttempts = 0
    }
}

extension ExtractAccess {
    /// Listed by hand, not found by reflection per row (issue 12; see `ModelPropertiesTests`).
    public var properties: [any AnyProperty] {
        [
            $id, $discussionID, $invitationID, $tokenHash, $codeHash, $expiresAt, $failedAttempts, $openedAt,
            $createdAt,
        ]
    }
}
