import Vapor

/// The session cookie (ASVS-5.0-3.3.1, 3.3.4): HttpOnly, SameSite=Strict, Path=/, and
/// `Secure` with the `__Host-` prefix whenever the request is HTTPS (or always, when
/// configured). Its lifetime is the browser session; the server enforces the timeouts.
enum SessionCookie {
    static let secureName = "__Host-convene-session"
    static let plainName = "convene-session"
    static let csrfSecureName = "__Host-convene-csrf"
    static let csrfPlainName = "convene-csrf"

    static func secure(_ req: Request) -> Bool {
        req.convene.options.cookieSecurity == .always || req.isHTTPS
    }

    static func token(_ req: Request) -> String? {
        req.cookies[secureName]?.string ?? req.cookies[plainName]?.string
    }

    static func set(_ token: String, on response: Response, for req: Request) {
        let secure = secure(req)
        response.cookies[secure ? secureName : plainName] = value(token, secure: secure)
    }

    /// Whether this response issues a new session cookie (a sign-in).
    static func isSet(on response: Response) -> Bool {
        [secureName, plainName].contains { response.cookies[$0].map { !$0.string.isEmpty } ?? false }
    }

    static func clear(on response: Response) {
        response.cookies[secureName] = .expired
        response.cookies[plainName] = .expired
    }

    /// The pre-sign-in CSRF cookie (double submit) for the sign-in form.
    static func anonymousCSRF(_ req: Request) -> String? {
        req.cookies[csrfSecureName]?.string ?? req.cookies[csrfPlainName]?.string
    }

    static func setAnonymousCSRF(_ token: String, on response: Response, for req: Request) {
        let secure = secure(req)
        response.cookies[secure ? csrfSecureName : csrfPlainName] = value(token, secure: secure)
    }

    private static func value(_ string: String, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: string, expires: nil, maxAge: nil, domain: nil, path: "/", isSecure: secure,
                          isHTTPOnly: true, sameSite: .strict)
    }
}
