import Crypto
import Foundation

/// The secrets held outside the database (issue 9, ASVS-5.0-16.4.2): whoever can write the
/// database cannot recompute the audit chain, forge a record's seal or sign a checkpoint
/// without them. One 32-byte master key, kept in a file of its own (mode 0600); every key is
/// derived from it with HKDF under its own label, so no key serves two purposes.
public struct KeyRing: Sendable {
    /// HMAC-SHA256 of each audit entry, chained (the entry's `hash`).
    public let chainKey: SymmetricKey
    /// HMAC-SHA256 seals of record versions and discussions.
    public let sealKey: SymmetricKey
    /// HMAC-SHA256 of the "known device" cookie that lets a person sign in from an address the
    /// throttle has blocked.
    public let deviceKey: SymmetricKey
    /// AES-GCM key for secrets Convene must keep in the database and use again (an authority's
    /// OpenID Connect client secret): whoever reads the database or its backups does not read them.
    public let secretsKey: SymmetricKey
    /// Ed25519 key that signs checkpoints of the chain's head.
    public let signingKey: Curve25519.Signing.PrivateKey

    public var publicKey: Curve25519.Signing.PublicKey { signingKey.publicKey }

    public init(master: SymmetricKey) {
        func derive(_ label: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: Data("convene".utf8), info: Data(label.utf8), outputByteCount: 32)
        }
        chainKey = derive("audit chain v1")
        sealKey = derive("record seal v1")
        deviceKey = derive("device cookie v1")
        secretsKey = derive("stored secrets v1")
        let seed = derive("checkpoint signing v1").withUnsafeBytes { Data($0) }
        // A 32-byte seed is always a valid Ed25519 private key.
        signingKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    /// A key for this process only (tests, an in-memory database).
    public static func ephemeral() -> KeyRing {
        KeyRing(master: SymmetricKey(size: .bits256))
    }

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String)
        case wrongSize(String, Int)
        case unwritable(String, String)

        public var description: String {
            switch self {
            case let .unreadable(path): "The key file \(path) cannot be read"
            case let .wrongSize(path, size): "The key file \(path) must hold 32 bytes (64 hex characters); it holds \(size)"
            case let .unwritable(path, why): "The key file \(path) cannot be created: \(why)"
            }
        }
    }

    /// Reads the master key (64 hex characters) from `path`, creating it (mode 0600) when it does
    /// not exist and `create` is set. Returns whether it was created.
    public static func load(path: String, create: Bool) throws(LoadError) -> (keys: KeyRing, created: Bool) {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            guard create else { throw .unreadable(path) }
            let master = SymmetricKey(size: .bits256)
            let hex = master.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() } + "\n"
            let directory = (path as NSString).deletingLastPathComponent
            do {
                if !directory.isEmpty {
                    try manager.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
                }
                guard manager.createFile(atPath: path, contents: Data(hex.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw LoadError.unwritable(path, "the directory is not writable")
                }
            } catch let error as LoadError {
                throw error
            } catch {
                throw .unwritable(path, "\(error)")
            }
            return (KeyRing(master: master), true)
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .unreadable(path) }
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let byte = UInt8(hex[index..<next], radix: 16) else { throw .wrongSize(path, bytes.count) }
            bytes.append(byte)
            index = next
        }
        guard bytes.count == 32 else { throw .wrongSize(path, bytes.count) }
        return (KeyRing(master: SymmetricKey(data: bytes)), false)
    }

    /// HMAC-SHA256 as lower-case hex.
    public static func mac(_ text: String, key: SymmetricKey) -> String {
        Tokens.hex(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
    }
}
