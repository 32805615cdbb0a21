import Crypto
import Foundation

/// A secret Convene keeps in the database because it must use it again (an authority's OpenID
/// Connect client secret), sealed with AES-GCM under `KeyRing.secretsKey`, which is derived from
/// the master key outside the database. The sealed text names what it belongs to (`context`,
/// authenticated but not stored), so a sealed value copied to another row does not open there.
public enum StoredSecret {
    /// Sealed text: "v1." and the base64 of nonce, ciphertext and tag.
    public static func seal(_ secret: String, key: SymmetricKey, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw StoredSecretError.unreadable }
        return "v1." + combined.base64EncodedString()
    }

    public static func open(_ sealed: String, key: SymmetricKey, context: String) throws(StoredSecretError) -> String {
        guard sealed.hasPrefix("v1."), let data = Data(base64Encoded: String(sealed.dropFirst(3))),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key, authenticating: Data(context.utf8)),
              let text = String(data: plain, encoding: .utf8) else { throw .unreadable }
        return text
    }
}

public enum StoredSecretError: Error, CustomStringConvertible {
    case unreadable

    public var description: String {
        "A stored secret cannot be read with this master key: enter it again on the administration page"
    }
}
