import ConveneStore
import FluentKit
import Foundation
import SQLKit

/// Who a request comes from: the session a cookie names, or an API bearer token, with the
/// idle and absolute timeouts and the account's state enforced every time (ASVS-5.0-7.3.1,
/// 7.3.2, 7.4.1, 7.4.2). Two small queries each: the session or token by its hash, then its person.
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
        guard let session = try await Rows.first(UserSession.self, "token_hash = \(bind: Tokens.sha256(token))", on: ctx.db),
              session.revokedAt == nil,
              let person = try await Rows.find(Person.self, session.$person.id, on: ctx.db) else { return .none }
        session.$person.value = person
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
        guard let apiToken = try await Rows.first(APIToken.self, "token_hash = \(bind: Tokens.sha256(token))", on: ctx.db),
              apiToken.revokedAt == nil, apiToken.expiresAt > now,
              let holder = try await Rows.find(Person.self, apiToken.$person.id, on: ctx.db),
              holder.disabledAt == nil, !holder.mustChangePassword else {
            throw LifecycleError.notSignedIn("The API token is not valid.")
        }
        apiToken.$person.value = holder
        if apiToken.lastUsedAt.map({ now.timeIntervalSince($0) > touchInterval }) ?? true {
            apiToken.lastUsedAt = now
            try await apiToken.save(on: ctx.db)
        }
        return try CurrentUser(person: apiToken.person, session: nil)
    }
}
