import Foundation

extension OIDCMetadata {
    /// The authorisation request (OpenID Connect Core §3.1.2.1): the code flow with PKCE (S256),
    /// `state` and `nonce`, added to any query the provider's endpoint already has.
    public func authorizationURL(clientID: String, redirectURI: String, scope: String, state: String, nonce: String,
                                 verifier: String) -> String? {
        guard var components = URLComponents(url: authorizationEndpoint, resolvingAgainstBaseURL: false) else { return nil }
        let parameters = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI), ("scope", scope),
            ("state", state), ("nonce", nonce), ("code_challenge", PKCE.challenge(verifier)), ("code_challenge_method", "S256"),
        ]
        let existing = components.percentEncodedQueryItems ?? []
        components.percentEncodedQueryItems = existing + parameters.map { URLQueryItem(name: $0.0, value: OIDCHTTP.formEncode($0.1)) }
        return components.url?.absoluteString
    }
}
