import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Messages Convene sends, written to the outbox table in the same transaction as the change
/// that causes them. They carry a link and the discussion's reference, never a child's name;
/// the link starts with the context's public address, never a request's Host header (a link in
/// an invitation must not lead to somebody else's site).
public enum Outbox {
    static func send(to name: String, email: String, subject: String, body: String, organisationID: UUID, discussionID: UUID?,
                     on db: any Database) async throws {
        guard !email.isBlank else { return }
        try await OutboxMessage(organisationID: organisationID, toEmail: email, toName: name, subject: subject, body: body,
                                discussionID: discussionID).create(on: db)
    }
}
