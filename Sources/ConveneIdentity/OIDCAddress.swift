import Foundation

/// Where Convene will talk to a directory: HTTPS only, except plain HTTP to this machine itself
/// (a provider on 127.0.0.1, as the tests and a development machine run one).
public enum OIDCAddress {
    static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    public static func isAllowed(_ url: URL) -> Bool {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty,
              url.user == nil, url.password == nil else { return false }
        return scheme == "https" || (scheme == "http" && loopbackHosts.contains(host))
    }

    /// The issuer as an administrator typed it, checked: an allowed address without query or
    /// fragment, and without a trailing slash (the discovery document is found under it).
    public static func issuer(_ text: String) -> URL? {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard trimmed.count <= 500, let url = URL(string: trimmed), isAllowed(url), url.query == nil, url.fragment == nil else {
            return nil
        }
        return url
    }
}
