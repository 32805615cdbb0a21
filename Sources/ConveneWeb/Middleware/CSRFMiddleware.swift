import ConveneStore
import Vapor

/// Rejects cross-site state-changing requests (ASVS-5.0-3.5.1): every POST carries a token
/// bound to the session (or, before sign-in, to a cookie), and a foreign Origin is refused.
/// API calls with a bearer token carry no cookies and need no token.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    static let header = "X-CSRF-Token"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var newAnonymousToken: String?
        if req.storage[PendingSessionKey.self] == nil, req.currentUser?.csrfToken == nil,
           SessionCookie.anonymousCSRF(req) == nil, req.headers.bearerAuthorization == nil {
            newAnonymousToken = Tokens.random()
            req.storage[AnonymousTokenKey.self] = newAnonymousToken
        }
        if Self.isUnsafe(req.method), !req.isAPI, req.headers.contentType != .urlEncodedForm, req.headers.contentType != .formData {
            // The pages take web forms only (a browser always labels one); JSON and the rest
            // belong to /api/v1.
            throw Abort(.unsupportedMediaType, reason: "Send this as a web form. The JSON API is under /api/v1.")
        }
        if Self.isUnsafe(req.method) && req.headers.bearerAuthorization == nil {
            if req.headers.contentType == .urlEncodedForm {
                // Large forms arrive as a stream; read them (within the size limit) to find the token.
                _ = try await req.body.collect(max: req.application.routes.defaultMaxBodySize.value).get()
            }
            try check(req)
        }
        let response = try await next.respond(to: req)
        if let token = newAnonymousToken {
            SessionCookie.setAnonymousCSRF(token, on: response, for: req)
        }
        return response
    }

    /// The Origin header names this server (scheme aside, as a proxy may end TLS).
    static func sameOrigin(_ origin: String, host: String) -> Bool {
        guard let url = URL(string: origin), let originHost = url.host else { return false }
        let authority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return authority.lowercased() == host.lowercased()
    }

    static func isUnsafe(_ method: HTTPMethod) -> Bool {
        ![.GET, .HEAD, .OPTIONS].contains(method)
    }

    private func check(_ req: Request) throws {
        // Browsers send `Origin: null` when the referrer policy hides the origin; the token
        // below still decides then.
        if let origin = req.headers.first(name: .origin), origin != "null",
           !Self.sameOrigin(origin, host: req.headers.first(name: .host) ?? "") {
            throw Abort(.forbidden, reason: "This request came from another site and was refused.")
        }
        guard let expected = req.currentUser?.csrfToken ?? req.storage[PendingSessionKey.self]?.csrfToken
            ?? SessionCookie.anonymousCSRF(req) else {
            throw Abort(.forbidden, reason: "Your session has expired. Go back, refresh the page and try again.")
        }
        let provided = req.headers.first(name: Self.header)
            ?? (req.headers.contentType == .urlEncodedForm ? FormData(body: req.body.string ?? "").values[Self.field]?.first : nil)
        guard let provided, Tokens.constantTimeEqual(provided, expected) else {
            throw Abort(.forbidden, reason: "The form has expired or did not come from Convene. Go back, refresh the page and try again.")
        }
    }
}

struct AnonymousTokenKey: StorageKey {
    typealias Value = String
}

extension Request {
    /// The token every form of this page must carry.
    public var csrfToken: String {
        currentUser?.csrfToken ?? storage[PendingSessionKey.self]?.csrfToken ?? SessionCookie.anonymousCSRF(self)
            ?? storage[AnonymousTokenKey.self] ?? ""
    }
}
