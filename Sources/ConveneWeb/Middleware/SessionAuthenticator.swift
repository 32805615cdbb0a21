import ConveneStore
import Fluent
import Foundation
import Vapor

/// Finds the signed-in person from the session cookie or an API bearer token, enforcing the
/// idle and absolute timeouts and account state on every request (ASVS-5.0-7.3.1, 7.3.2,
/// 7.4.1, 7.4.2). An expired session is ended and its cookie cleared.
struct SessionAuthenticator: AsyncMiddleware {
    /// Touch `last_seen_at` at most this often, to spare the database a write per request.
    static let touchInterval: TimeInterval = 60

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearCookie = false
        if let bearer = req.headers.bearerAuthorization {
            try await authenticate(bearer: bearer.token, req)
        } else if let token = SessionCookie.token(req) {
            clearCookie = try await !authenticate(session: token, req)
        }
        guard clearCookie else { return try await next.respond(to: req) }
        // The cookie named no live session: clear it, even when the request then fails (the
        // refusal of a timed-out session) and unless this response signs in afresh.
        let response: Response
        do {
            response = try await next.respond(to: req)
        } catch {
            response = await ErrorHandling().response(for: error, req)
        }
        if !SessionCookie.isSet(on: response) { SessionCookie.clear(on: response) }
        return response
    }

    /// Returns false when the cookie names no live session.
    private func authenticate(session token: String, _ req: Request) async throws -> Bool {
        let now = req.now
        // One query, the person joined (not a second query per request).
        guard let session = try await UserSession.query(on: req.db).filter(\.$tokenHash == Tokens.sha256(token))
            .join(Person.self, on: \UserSession.$person.$id == \Person.$id).first(), session.revokedAt == nil else { return false }
        session.$person.value = try session.joined(Person.self)
        let options = req.convene.options
        let idleExpired = now.timeIntervalSince(session.lastSeenAt) > options.sessionIdleTimeout
        if now >= session.expiresAt || idleExpired || session.person.disabledAt != nil {
            session.revokedAt = now
            try await session.save(on: req.db)
            return false
        }
        if session.secondFactorPending {
            req.storage[PendingSessionKey.self] = session
            return true
        }
        if now.timeIntervalSince(session.lastSeenAt) > Self.touchInterval {
            session.lastSeenAt = now
            try await session.save(on: req.db)
        }
        req.currentUser = try CurrentUser(person: session.person, session: session)
        return true
    }

    private func authenticate(bearer token: String, _ req: Request) async throws {
        let now = req.now
        let found = try await APIToken.query(on: req.db).filter(\.$tokenHash == Tokens.sha256(token))
            .join(Person.self, on: \APIToken.$person.$id == \Person.$id).first()
        if let found { found.$person.value = try found.joined(Person.self) }
        guard let apiToken = found, apiToken.revokedAt == nil, apiToken.expiresAt > now,
            apiToken.person.disabledAt == nil, !apiToken.person.mustChangePassword else {
            throw Abort(.unauthorized, reason: "The API token is not valid.")
        }
        if apiToken.lastUsedAt.map({ now.timeIntervalSince($0) > Self.touchInterval }) ?? true {
            apiToken.lastUsedAt = now
            try await apiToken.save(on: req.db)
        }
        req.currentUser = try CurrentUser(person: apiToken.person, session: nil)
    }
}

/// A session that has passed the password step but not yet the second factor.
struct PendingSessionKey: StorageKey {
    typealias Value = UserSession
}
