import Foundation

/// The parts of a provider's discovery document (OpenID Connect Discovery 1.0 §3) that Convene
/// uses, checked as §4.3 asks: the `issuer` in it is exactly the one configured, and every
/// endpoint is an address Convene may call.
public struct OIDCMetadata: Decodable, Sendable {
    public let issuer: String
    public let authorizationEndpoint: URL
    let tokenEndpoint: URL
    let jwksURI: URL
    let idTokenSigningAlgValuesSupported: [String]?
    let tokenEndpointAuthMethodsSupported: [String]?
    let codeChallengeMethodsSupported: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
    }

    /// The signature algorithms Convene accepts for ID tokens, in the order it prefers them.
    static let acceptedAlgorithms = ["RS256", "ES256", "PS256", "RS384", "ES384", "RS512"]

    func checked(against configuredIssuer: String) throws(OIDCRefusal) -> OIDCMetadata {
        guard issuer == configuredIssuer else {
            throw OIDCRefusal(.unreachable, "the discovery document names the issuer \(issuer), not \(configuredIssuer)")
        }
        for (name, url) in [("authorization_endpoint", authorizationEndpoint), ("token_endpoint", tokenEndpoint),
                            ("jwks_uri", jwksURI)] where !OIDCAddress.isAllowed(url) {
            throw OIDCRefusal(.unreachable, "the discovery document's \(name) is not an https address")
        }
        if let methods = codeChallengeMethodsSupported, !methods.contains("S256") {
            throw OIDCRefusal(.unreachable, "the provider does not offer PKCE with S256")
        }
        return self
    }

    /// Client authentication at the token endpoint: HTTP Basic unless the provider offers only
    /// the form field (RFC 6749 §2.3.1 prefers Basic; both are common).
    var usesBasicAuthentication: Bool {
        guard let methods = tokenEndpointAuthMethodsSupported, !methods.isEmpty else { return true }
        return methods.contains("client_secret_basic") || !methods.contains("client_secret_post")
    }

    /// The algorithms allowed for this provider's ID tokens.
    var allowedAlgorithms: Set<String> {
        let offered = Set(idTokenSigningAlgValuesSupported ?? ["RS256"])
        return Set(Self.acceptedAlgorithms).intersection(offered)
    }
}
