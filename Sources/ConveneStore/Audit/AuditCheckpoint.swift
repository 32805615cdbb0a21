import ConveneCore
import Crypto
import FluentKit
import Foundation

/// A signed copy of the audit chain's head, kept outside the database (issue 9): what lets
/// `convene audit verify` see that entries were removed from the end, the table wiped, or the
/// chain rewritten with the key, none of which the chain alone can show.
public struct AuditCheckpoint: Sendable, Hashable, Codable {
    public let seq: Int
    public let hash: String
    /// When it was written (RFC 3339, UTC).
    public let at: String
    /// Ed25519 signature of `message`, base64.
    public let signature: String

    public var message: String { "convene-audit-checkpoint/1\n\(seq)\n\(hash)\n\(at)" }

    public static func signed(seq: Int, hash: String, at: Date, key: Curve25519.Signing.PrivateKey) throws -> AuditCheckpoint {
        let unsigned = AuditCheckpoint(seq: seq, hash: hash, at: RFC3339.format(at), signature: "")
        let signature = try key.signature(for: Data(unsigned.message.utf8))
        return AuditCheckpoint(seq: seq, hash: hash, at: unsigned.at, signature: signature.base64EncodedString())
    }

    public func verifySignature(_ key: Curve25519.Signing.PublicKey) -> Bool {
        guard let data = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(data, for: Data(message.utf8))
    }
}

/// The checkpoint log: one JSON line per checkpoint in `checkpoints.jsonl`, appended and synced
/// to disk, in a directory the database's owner should not be able to rewrite (another volume,
/// another host, or `chattr +a`; docs/deploy.md). The public key is written beside it so anyone
/// can check the signatures.
public struct AuditCheckpoints: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    var logURL: URL { directory.appendingPathComponent("checkpoints.jsonl") }
    var publicKeyURL: URL { directory.appendingPathComponent("checkpoint-key.pub") }

    public enum ReadError: Error, CustomStringConvertible {
        case unreadable(String)
        case malformed(line: Int)

        public var description: String {
            switch self {
            case let .unreadable(path): "The checkpoint log \(path) cannot be read"
            case let .malformed(line): "Line \(line) of the checkpoint log is not a checkpoint: the log was altered"
            }
        }
    }

    /// Every checkpoint written so far (none when the log does not exist yet).
    public func read() throws(ReadError) -> [AuditCheckpoint] {
        guard FileManager.default.fileExists(atPath: logURL.path) else { return [] }
        guard let text = try? String(contentsOf: logURL, encoding: .utf8) else { throw .unreadable(logURL.path) }
        var result: [AuditCheckpoint] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: Data(line.utf8)) else {
                throw .malformed(line: i + 1)
            }
            result.append(checkpoint)
        }
        return result
    }

    /// Signs the chain's current head and appends it, unless the last checkpoint already names it.
    @discardableResult
    public func write(on db: any Database, now: Date) async throws -> AuditCheckpoint? {
        let keys = try db.keyRing()
        let head = try await AuditTrail.head(on: db)
        if let last = try? read().last, last.seq == head.seq, last.hash == head.hash { return nil }
        let checkpoint = try AuditCheckpoint.signed(seq: head.seq, hash: head.hash, at: now, key: keys.signingKey)
        try append(checkpoint, publicKey: keys.publicKey)
        return checkpoint
    }

    func append(_ checkpoint: AuditCheckpoint, publicKey: Curve25519.Signing.PublicKey) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if !manager.fileExists(atPath: publicKeyURL.path) {
            let text = "ed25519 " + publicKey.rawRepresentation.base64EncodedString() + "\n"
            manager.createFile(atPath: publicKeyURL.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o644])
        }
        if !manager.fileExists(atPath: logURL.path) {
            manager.createFile(atPath: logURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(checkpoint)
        line.append(UInt8(ascii: "\n"))
        let handle = try FileHandle(forWritingTo: logURL)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        try handle.synchronize()
    }
}
