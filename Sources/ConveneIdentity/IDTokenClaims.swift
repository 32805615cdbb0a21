import Foundation
import JWTKit

/// The claims of an ID token that Convene reads (OpenID Connect Core §2, §5.1). Decoding checks
/// nothing: `IDTokenCheck` does, with Convene's clock.
public struct IDTokenClaims: JWTPayload {
    let iss: String?
    public let sub: String?
    let aud: [String]
    let exp: Double?
    let iat: Double?
    public let nonce: String?
    let azp: String?
    public let email: String?
    /// True, or the string "true" (some providers send it so); nil when absent.
    let emailVerified: Bool?
    /// Microsoft Entra ID's optional claim "email domain owner verified": Entra sends no
    /// `email_verified` for organisational accounts, and this says the tenant owns the email's
    /// domain. Read only when `email_verified` is absent.
    let emailDomainOwnerVerified: Bool?
    let name: String?
    let givenName: String?
    let familyName: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, azp, email, name
        case emailVerified = "email_verified"
        case emailDomainOwnerVerified = "xms_edov"
        case givenName = "given_name"
        case familyName = "family_name"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        iss = try? c.decodeIfPresent(String.self, forKey: .iss)
        sub = try? c.decodeIfPresent(String.self, forKey: .sub)
        if let one = try? c.decode(String.self, forKey: .aud) {
            aud = [one]
        } else {
            aud = (try? c.decode([String].self, forKey: .aud)) ?? []
        }
        exp = try? c.decodeIfPresent(Double.self, forKey: .exp)
        iat = try? c.decodeIfPresent(Double.self, forKey: .iat)
        nonce = try? c.decodeIfPresent(String.self, forKey: .nonce)
        azp = try? c.decodeIfPresent(String.self, forKey: .azp)
        email = try? c.decodeIfPresent(String.self, forKey: .email)
        emailVerified = Self.flag(c, .emailVerified)
        emailDomainOwnerVerified = Self.flag(c, .emailDomainOwnerVerified)
        name = try? c.decodeIfPresent(String.self, forKey: .name)
        givenName = try? c.decodeIfPresent(String.self, forKey: .givenName)
        familyName = try? c.decodeIfPresent(String.self, forKey: .familyName)
    }

    private static func flag(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> Bool? {
        if let value = try? c.decode(Bool.self, forKey: key) { return value }
        return (try? c.decode(String.self, forKey: key)).map { $0.lowercased() == "true" }
    }

    public func encode(to encoder: any Encoder) throws {
        // Never encoded: Convene only reads ID tokens.
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(sub, forKey: .sub)
    }

    /// Checked by `IDTokenCheck` with Convene's clock, not here.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// The directory vouches for the email address.
    public var verifiedEmail: String? {
        guard let email = email?.trimmingCharacters(in: .whitespaces).lowercased(), !email.isEmpty,
              emailVerified ?? emailDomainOwnerVerified ?? false else { return nil }
        return email
    }

    /// A name for a person created at first sign-in.
    public var displayName: String {
        let given = [givenName, familyName].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let candidates = [name?.trimmingCharacters(in: .whitespaces) ?? "", given.joined(separator: " "),
                          String((email ?? "").split(separator: "@").first ?? "")]
        return String((candidates.first { !$0.isEmpty } ?? "Unnamed").prefix(200))
    }
}
