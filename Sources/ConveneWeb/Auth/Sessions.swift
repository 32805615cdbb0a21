import ConveneCore
import ConveneLifecycle
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Opening and ending sessions (ASVS-5.0-7.2.4: a new token at every sign-in; 7.4.x).
enum Sessions {
    /// Opens a new session (revoking the one the browser had) and sets its cookie.
    static func open(for person: Person, pending: Bool, invitationID: UUID? = nil, method: SignInMethod = .password,
                     on response: Response, _ req: Request, db: any Database) async throws -> UserSession {
        if let old = SessionCookie.token(req) {
            try await UserSession.query(on: db).filter(\.$tokenHash == Tokens.sha256(old)).set(\.$revokedAt, to: req.now)
                .update()
        }
        let token = Tokens.random()
        let now = req.now
        let session = UserSession(
            tokenHash: Tokens.sha256(token), personID: try person.requireID(), invitationID: invitationID,
            csrfToken: Tokens.random(), secondFactorPending: pending, now: now,
            expiresAt: now.addingTimeInterval(req.convene.options.sessionAbsoluteLifetime), ip: req.clientIP,
            userAgent: req.headers.first(name: .userAgent) ?? "", method: invitationID == nil ? method.rawValue : SignInMethod.link.rawValue)
        try await session.create(on: db)
        SessionCookie.set(token, on: response, for: req)
        return session
    }

    /// Ends every session and every API token of a person (sign out everywhere, an
    /// administrator's password reset, disabling an account: ASVS-5.0-7.4.2; issue 9).
    static func revokeAll(personID: UUID, now: Date, db: any Database) async throws {
        try await Credentials.revokeAll(personID: personID, now: now, db: db)
    }
}
