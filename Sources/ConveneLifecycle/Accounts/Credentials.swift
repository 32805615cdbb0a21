import ConveneStore
import FluentKit
import Foundation

/// Ending a person's sessions and API tokens (ASVS-5.0-7.4.1, 7.4.2; issue 9), inside the
/// caller's transaction.
public enum Credentials {
    /// Every session and every API token: sign out everywhere, an administrator's password
    /// reset, disabling an account.
    public static func revokeAll(personID: UUID, now: Date, db: any Database) async throws {
        try await UserSession.query(on: db).filter(\.$person.$id == personID).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: now).update()
        try await revokeTokens(personID: personID, now: now, db: db)
    }

    /// Every API token (also on a password change, which keeps the session it was made in).
    public static func revokeTokens(personID: UUID, now: Date, db: any Database) async throws {
        try await APIToken.query(on: db).filter(\.$person.$id == personID).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: now).update()
    }

    /// A personal API token lasts this long (created on the account page or by signing in
    /// through the API).
    public static let tokenLifetime: TimeInterval = 12 * 3600

    /// A temporary password the person changes after signing in (ASVS-5.0-6.2.3).
    public static func temporaryPassword() -> String {
        let words = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbour", "island", "juniper", "kestrel",
                     "lantern", "meadow", "nettle", "orchard", "pebble", "quarry", "river", "saffron", "thistle", "upland",
                     "valley", "willow", "yarrow"]
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in words.randomElement(using: &generator)! }.joined(separator: "-")
            + "-\(Int.random(in: 10...99, using: &generator))"
    }
}
