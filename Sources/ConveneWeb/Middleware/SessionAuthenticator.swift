import ConveneLifecycle
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Finds the signed-in person from the session cookie or an API bearer token, enforcing the
/// idle and absolute timeouts and account state on every request (ASVS-5.0-7.3.1, 7.3.2,
/// 7.4.1, 7.4.2). An expired session is ended and its cookie cleared.
struct SessionAuthenticator: AsyncMiddleware {
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
        switch try await Authentication.session(token: token, idleTimeout: req.convene.options.sessionIdleTimeout, req.lifecycle) {
        case .none: return false
        case let .pending(session): req.storage[PendingSessionKey.self] = session
        case let .signedIn(user): req.currentUser = user
        }
        return true
    }

    private func authenticate(bearer token: String, _ req: Request) async throws {
        req.currentUser = try await Authentication.bearer(token: token, req.lifecycle)
    }
}

/// A session that has passed the password step but not yet the second factor.
struct PendingSessionKey: StorageKey {
    typealias Value = UserSession
}
