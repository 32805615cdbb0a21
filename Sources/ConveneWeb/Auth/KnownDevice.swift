import ConveneStore
import Crypto
import Foundation
import Vapor

/// The "known device" cookie: set when a browser completes a sign-in, it names the account
/// and is signed with a key held outside the database (HMAC-SHA256), so it cannot be made for
/// an account the browser never signed in to. It only lets that account through an address
/// block; it is no credential.
enum KnownDevice {
    static let secureName = "__Host-convene-device"
    static let plainName = "convene-device"
    static let lifetime: TimeInterval = 180 * 86_400

    static func value(personID: UUID, expires: Date, key: SymmetricKey) -> String {
        let body = personID.uuidString.lowercased() + "." + String(Int64(expires.timeIntervalSince1970))
        return body + "." + KeyRing.mac("known-device\u{1F}" + body, key: key)
    }

    static func set(for personID: UUID, on response: Response, _ req: Request) {
        let secure = SessionCookie.secure(req)
        let expires = req.now.addingTimeInterval(lifetime)
        response.cookies[secure ? secureName : plainName] = HTTPCookies.Value(
            string: value(personID: personID, expires: expires, key: req.convene.keys.deviceKey), expires: expires,
            maxAge: Int(lifetime), domain: nil, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .strict)
    }

    /// The account a valid cookie names, if the browser holds one.
    static func personID(_ req: Request) -> UUID? {
        guard let text = req.cookies[secureName]?.string ?? req.cookies[plainName]?.string,
              let id = text.split(separator: ".").first.flatMap({ UUID(uuidString: String($0)) }),
              matches(req, personID: id) else { return nil }
        return id
    }

    static func matches(_ req: Request, personID: UUID) -> Bool {
        guard let text = req.cookies[secureName]?.string ?? req.cookies[plainName]?.string else { return false }
        let parts = text.split(separator: ".").map(String.init)
        guard parts.count == 3, UUID(uuidString: parts[0]) == personID, let expiry = Int64(parts[1]),
              Date(timeIntervalSince1970: TimeInterval(expiry)) > req.now else { return false }
        let expected = value(personID: personID, expires: Date(timeIntervalSince1970: TimeInterval(expiry)),
                             key: req.convene.keys.deviceKey)
        return Tokens.constantTimeEqual(expected, text)
    }
}
