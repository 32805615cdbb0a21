import ConveneCore
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
        try await UserSession.query(on: db).filter(\.$person.$id == personID).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: now).update()
        try await revokeTokens(personID: personID, now: now, db: db)
    }

    /// Ends every API token of a person (also on a password change, which keeps the session it
    /// was made in).
    static func revokeTokens(personID: UUID, now: Date, db: any Database) async throws {
        try await APIToken.query(on: db).filter(\.$person.$id == personID).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: now).update()
    }
}

/// How a session was opened (issue 15): only a password sign-in must change a temporary password.
enum SignInMethod: String, Sendable {
    /// A Convene password, with the second factor where needed.
    case password
    /// The authority's own directory (OpenID Connect).
    case oidc
    /// An invitee's personal link.
    case link
}

/// Counts failed sign-ins per client address in the database, so every app server shares
/// the count (ASVS-5.0-6.3.1).
enum LoginThrottling {
    static let window: TimeInterval = 15 * 60
    /// Failures from one address in the window before it is blocked; raised only for the
    /// sqlmap scan (scripts/sqlmap.sh), which must reach the sign-in code to test it.
    static let maxPerAddress = Int(ProcessInfo.processInfo.environment["CONVENE_THROTTLE_PER_ADDRESS"] ?? "") ?? 30
    static let maxPerAccount = 5
    static let lockout: TimeInterval = 15 * 60

    static func isBlocked(_ key: String, now: Date, db: any Database) async throws -> Bool {
        guard let row = try await LoginThrottle.query(on: db).filter(\.$key == key).first() else { return false }
        return now.timeIntervalSince(row.windowStart) < window && row.count >= maxPerAddress
    }

    static func recordFailure(_ key: String, now: Date, db: any Database) async throws {
        if let row = try await LoginThrottle.query(on: db).filter(\.$key == key).first() {
            if now.timeIntervalSince(row.windowStart) >= window {
                row.windowStart = now
                row.count = 1
            } else {
                row.count += 1
            }
            try await row.save(on: db)
        } else {
            try await LoginThrottle(key: key, count: 1, windowStart: now).create(on: db)
        }
    }
}
