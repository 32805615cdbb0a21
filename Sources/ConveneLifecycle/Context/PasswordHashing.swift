import Foundation

/// Hashes and checks passwords. The web layer supplies bcrypt (Vapor's); the lifecycle's own
/// tests a fast stand-in. The rules a new password must meet are `PasswordPolicy`'s.
public struct PasswordHashing: Sendable {
    public var hash: @Sendable (String) throws -> String
    public var verify: @Sendable (_ password: String, _ hash: String) -> Bool
    /// A hash of a random password, made at the same cost: an unknown address is checked
    /// against it, so that it takes as long as a known one (ASVS-5.0-6.3.8).
    public var unknownAccountHash: @Sendable () -> String

    public init(hash: @escaping @Sendable (String) throws -> String,
                verify: @escaping @Sendable (_ password: String, _ hash: String) -> Bool,
                unknownAccountHash: @escaping @Sendable () -> String) {
        self.hash = hash
        self.verify = verify
        self.unknownAccountHash = unknownAccountHash
    }

    /// For contexts that never touch a password (jobs, reads): using it is a programming error.
    public static let unavailable = PasswordHashing(
        hash: { _ in throw PasswordHashingUnavailable() }, verify: { _, _ in false }, unknownAccountHash: { "" })
}

public struct PasswordHashingUnavailable: Error, CustomStringConvertible {
    public var description: String { "No password hasher was given to this lifecycle context." }
}
