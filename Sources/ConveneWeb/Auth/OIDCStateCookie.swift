import Vapor

/// The cookie that binds a sign-in through a directory to the browser that started it: the
/// callback is refused unless the browser presents the value whose hash was stored with the
/// `state`. `SameSite=Lax`, unlike Convene's other cookies, because the directory sends the
/// person back with a cross-site navigation, on which a `Strict` cookie is not sent. It lasts as
/// long as the sign-in may (10 minutes) and is cleared by the callback.
enum OIDCStateCookie {
    static let secureName = "__Host-convene-oidc"
    static let plainName = "convene-oidc"
    static let lifetime: TimeInterval = 600

    static func value(_ req: Request) -> String? {
        req.cookies[secureName]?.string ?? req.cookies[plainName]?.string
    }

    static func set(_ value: String, on response: Response, _ req: Request) {
        let secure = SessionCookie.secure(req)
        response.cookies[secure ? secureName : plainName] = HTTPCookies.Value(
            string: value, expires: req.now.addingTimeInterval(lifetime), maxAge: Int(lifetime), domain: nil, path: "/",
            isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    static func clear(on response: Response) {
        response.cookies[secureName] = .expired
        response.cookies[plainName] = .expired
    }
}
