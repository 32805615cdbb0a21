import Foundation

/// Redeems the authorisation code at the provider's token endpoint (OpenID Connect Core §3.1.3)
/// with the PKCE verifier and the client's secret, and returns the ID token. Convene uses no
/// access or refresh token: the ID token says who signed in, and Convene's own session follows.
public enum OIDCCodeExchange {
    struct TokenAnswer: Decodable {
        let idToken: String?
        let error: String?

        enum CodingKeys: String, CodingKey {
            case idToken = "id_token"
            case error
        }
    }

    public static func idToken(code: String, verifier: String, redirectURI: String, clientID: String, clientSecret: String,
                        metadata: OIDCMetadata, http: OIDCHTTP) async throws(OIDCRefusal) -> String {
        var fields = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                      ("code_verifier", verifier)]
        let basic: (user: String, password: String)?
        if metadata.usesBasicAuthentication {
            basic = (clientID, clientSecret)
        } else {
            basic = nil
            fields += [("client_id", clientID), ("client_secret", clientSecret)]
        }
        let answer = try await http.postForm(metadata.tokenEndpoint, fields, basic: basic)
        let decoded = try? JSONDecoder().decode(TokenAnswer.self, from: answer.body)
        guard answer.status == 200 else {
            // The error code only (RFC 6749 §5.2), e.g. invalid_grant for a code already used.
            let code = (decoded?.error ?? "").filter { $0.isLetter || $0 == "_" }.prefix(60)
            throw OIDCRefusal(.directoryRefused, "the token endpoint refused the code (HTTP \(answer.status)\(code.isEmpty ? "" : ", \(code)"))")
        }
        guard let token = decoded?.idToken, !token.isEmpty else {
            throw OIDCRefusal(.notVerified, "the token endpoint gave no ID token")
        }
        return token
    }
}
