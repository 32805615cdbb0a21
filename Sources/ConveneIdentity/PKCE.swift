import ConveneStore
import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636) with S256: the verifier stays on the server, the
/// directory sees only its hash, so a code caught on its way back is useless to anyone else.
public enum PKCE {
    /// 43 characters of base64url (32 random bytes): within RFC 7636 §4.1's 43 to 128.
    public static func verifier() -> String {
        Tokens.random(bytes: 32)
    }

    public static func challenge(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
