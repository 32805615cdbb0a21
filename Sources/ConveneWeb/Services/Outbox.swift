import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Messages Convene sends, written to the outbox table in the same transaction as the change
/// that causes them. They carry a link and the discussion's reference, never a child's name.
enum Outbox {
    static func send(to name: String, email: String, subject: String, body: String, organisationID: UUID, discussionID: UUID?,
                     on db: any Database) async throws {
        guard !email.isBlank else { return }
        try await OutboxMessage(organisationID: organisationID, toEmail: email, toName: name, subject: subject, body: body,
                                discussionID: discussionID).create(on: db)
    }

    /// The site's configured public address, for links in messages: never the request's Host
    /// header, which whoever sends the request chooses (a link in an invitation must not lead
    /// to somebody else's site).
    static func baseURL(_ req: Request) -> String {
        req.convene.options.publicAddress
    }
}
