import ConveneCore
import ConveneLifecycle
import ConveneStore
import Crypto
import Foundation
import Synchronization
import Vapor

/// Password hashing with bcrypt (ASVS-5.0-11.4.2). bcrypt reads only the first 72 bytes of
/// its input, so the password is first hashed with SHA-256 and base64-encoded (44 bytes):
/// every character of a password of any length counts (ASVS-5.0-6.2.8, 6.2.9).
enum Passwords {
    static let minimumLength = PasswordPolicy.minimumLength
    static let maximumLength = PasswordPolicy.maximumLength

    static func hash(_ password: String, cost: Int) throws -> String {
        try Bcrypt.hash(prehash(password), cost: cost)
    }

    /// How many passwords have been checked (the tests count them: an unknown address must
    /// cost the same bcrypt work as a known one).
    private static let counter = Atomic<Int>(0)
    static var verifications: Int { counter.load(ordering: .relaxed) }

    static func verify(_ password: String, against hash: String) -> Bool {
        counter.add(1, ordering: .relaxed)
        guard password.utf8.count <= maximumLength * 4 else { return false }
        return (try? Bcrypt.verify(prehash(password), created: hash)) ?? false
    }

    private static let dummyHashes = Mutex<[Int: String]>([:])

    /// A hash of a random password at the given cost, made once: unknown addresses are checked
    /// against it so that they take as long as known ones.
    static func dummyHash(cost: Int) -> String {
        if let made = dummyHashes.withLock({ $0[cost] }) { return made }
        let made = (try? hash(Tokens.random(), cost: cost)) ?? ""
        dummyHashes.withLock { $0[cost] = made }
        return made
    }

    /// bcrypt at `cost`, for the lifecycle's account operations.
    static func hasher(cost: Int) -> PasswordHashing {
        PasswordHashing(hash: { try hash($0, cost: cost) }, verify: { verify($0, against: $1) },
                       unknownAccountHash: { dummyHash(cost: cost) })
    }

    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    /// Problems with a new password, in words a person can act on; empty when acceptable.
    static func problems(with password: String, email: String, name: String) -> [String] {
        PasswordPolicy.problems(with: password, email: email, name: name)
    }
}
