import ConveneStore
import FluentKit
import Foundation

/// Who a request comes from: the session a cookie names, or an API bearer token, with the
/// idle and absolute timeouts and the account's state enforced every time (ASVS-5.0-7.3.1,
/// 7.3.2, 7.4.1, 7.4.2). One query each, the person joined.
public enum Authentication {
    /// `last_seen_at` and a token's `last_used_at` are touched at most this often, to spare
    /// the database a write per request.
    public static let touchInterval: TimeInterval = 60

    public enum Session: Sendable {
        /// No live session: expired, idle too long, revoked, or the account disabled (ended now).
        case none
        /// The password step passed; the security code has not yet been given.
        case pending(UserSession)
        case signedIn(CurrentUser)
    }

    public static func session(token: String, idleTimeout: TimeInterval, _ ctx: LifecycleContext) async throws -> Session {
        let now = ctx.now
        guard let session = try await UserSession.query(on: ctx.db).filter(\.$tokenHash == Tokens.sha256(token))
            .join(Person.self, on: \UserSession.$person.$id == \Person.$id).first(), session.revokedAt == nil else { return .none }
        session.$person.value = try session.joined(Person.self)
        let idleExpired = now.timeIntervalSince(session.lastSeenAt) > idleTimeout
        if now >= session.expiresAt || idleExpired || session.person.disabledAt != nil {
            session.revokedAt = now
            try await session.save(on: ctx.db)
            return .none
        }
        if session.secondFactorPending { return .pending(session) }
        if now.timeIntervalSince(session.lastSeenAt) > touchInterval {
            session.lastSeenAt = now
            try await session.save(on: ctx.db)
        }
        return .signedIn(try CurrentUser(person: session.person, session: session))
    }

    /// The holder of a live API token; refused when the token is unknown, revoked or expired,
    /// or its account disabled or still on a temporary password.
    public static func bearer(token: String, _ ctx: LifecycleContext) async throws -> CurrentUser {
        let now = ctx.now
        let found = try await APIToken.query(on: ctx.db).filter(\.$tokenHash == Tokens.sha256(token))
            .join(Person.self, on: \APIToken.$person.$id == \Person.$id).first()
        if let found { found.$person.value = try found.joined(Person.self) }
        guard let apiToken = found, apiToken.revokedAt == nil, apiToken.expiresAt > now,
              apiToken.person.disabledAt == nil, !apiToken.person.mustChangePassword else {
            throw LifecycleError.notSignedIn("The API token is not valid.")
        }
        if apiToken.lastUsedAt.map({ now.timeIntervalSince($0) > touchInterval }) ?? true {
            apiToken.lastUsedAt = now
            try await apiToken.save(on: ctx.db)
        }
        return try CurrentUser(person: apiToken.person, session: nil)
    }
}
