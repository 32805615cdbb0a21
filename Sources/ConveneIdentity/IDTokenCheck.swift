import Foundation
import JWTKit

/// Verifies an ID token as OpenID Connect Core §3.1.3.7 asks (issue 15): the signature with the
/// provider's published keys (RS256 or ES256 and their kin, never `none` or a shared secret), the
/// issuer, the audience (and `azp` when present or when there are several audiences), the expiry
/// and issue time with a minute's leeway, and that it was issued after this sign-in began. The
/// nonce is compared by the caller, which also knows the nonces already spent.
public enum IDTokenCheck {
    static let leeway: TimeInterval = 60

    struct Header: Decodable {
        let alg: String?
        let kid: String?
    }

    static func header(_ token: String) throws(OIDCRefusal) -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = base64URLDecode(String(parts[0])),
              let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw OIDCRefusal(.notVerified, "the ID token is not a signed JWT")
        }
        return header
    }

    /// The verified claims of `token`.
    public static func verify(_ token: String, directory: OIDCDirectory, metadata: OIDCMetadata, clientID: String,
                       startedAt: Date, now: Date) async throws(OIDCRefusal) -> IDTokenClaims {
        let header = try header(token)
        guard let alg = header.alg, metadata.allowedAlgorithms.contains(alg) else {
            throw OIDCRefusal(.notVerified, "the ID token is signed with \(header.alg ?? "no algorithm"), which Convene does not accept")
        }
        let keys = try await directory.keys(metadata, kid: header.kid, now: now)
        if let kid = header.kid {
            guard keys.kids.contains(kid) else {
                throw OIDCRefusal(.notVerified, "the ID token is signed with a key the provider does not publish")
            }
        } else if keys.kids.count != 1 {
            throw OIDCRefusal(.notVerified, "the ID token names no key and the provider publishes several")
        }
        let claims: IDTokenClaims
        do {
            claims = try await keys.collection.verify(token, as: IDTokenClaims.self)
        } catch {
            throw OIDCRefusal(.notVerified, "the ID token's signature does not verify with the provider's published key")
        }
        try check(claims, issuer: metadata.issuer, clientID: clientID, startedAt: startedAt, now: now)
        return claims
    }

    /// The claims' checks, apart from the signature and the nonce.
    public static func check(_ claims: IDTokenClaims, issuer: String, clientID: String, startedAt: Date, now: Date) throws(OIDCRefusal) {
        guard claims.iss == issuer else { throw OIDCRefusal(.notVerified, "the ID token's issuer is not \(issuer)") }
        guard let sub = claims.sub, !sub.isEmpty, sub.count <= 255 else {
            throw OIDCRefusal(.notVerified, "the ID token names no subject")
        }
        guard claims.aud.contains(clientID) else { throw OIDCRefusal(.notVerified, "the ID token was issued for another client") }
        if claims.aud.count > 1 || claims.azp != nil {
            guard claims.azp == clientID else { throw OIDCRefusal(.notVerified, "the ID token's authorised party is another client") }
        }
        guard let exp = claims.exp else { throw OIDCRefusal(.notVerified, "the ID token has no expiry") }
        guard Date(timeIntervalSince1970: exp) > now.addingTimeInterval(-leeway) else {
            throw OIDCRefusal(.notVerified, "the ID token has expired")
        }
        guard let iat = claims.iat else { throw OIDCRefusal(.notVerified, "the ID token has no issue time") }
        let issued = Date(timeIntervalSince1970: iat)
        guard issued <= now.addingTimeInterval(leeway) else { throw OIDCRefusal(.notVerified, "the ID token was issued in the future") }
        guard issued >= startedAt.addingTimeInterval(-leeway) else {
            throw OIDCRefusal(.notVerified, "the ID token was issued before this sign-in began")
        }
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
