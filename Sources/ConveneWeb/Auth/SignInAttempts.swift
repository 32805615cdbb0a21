import ConveneCore
import ConveneStore
import Crypto
import Fluent
import Foundation
import Synchronization
import Vapor

/// The rules every sign-in follows, on the page and for API tokens (ASVS-5.0-6.3.1, 6.3.3,
/// 16.3.1; issue 9):
/// - the password is checked with the same bcrypt work whether or not the address has an
///   account, or the account is locked or disabled, so the time taken says nothing;
/// - a wrong password or a wrong security code counts against the account (locked for 15
///   minutes after 5) and the client address, and only a complete sign-in clears the count:
///   a correct password never resets the count of wrong codes;
/// - a security code is accepted once only;
/// - an address that has failed too often is refused, except for a browser that has signed in
///   to that very account before (its "known device" cookie), so one attacker behind an
///   office's shared address cannot lock the whole office out.
enum SignInAttempts {
    private static let dummyHashes = Mutex<[Int: String]>([:])

    /// A hash of a random password at the given cost, made once: unknown addresses are checked
    /// against it so that they take as long as known ones.
    static func dummyHash(cost: Int) -> String {
        if let hash = dummyHashes.withLock({ $0[cost] }) { return hash }
        let hash = (try? Passwords.hash(Tokens.random(), cost: cost)) ?? ""
        dummyHashes.withLock { $0[cost] = hash }
        return hash
    }

    /// The outcome of the password step.
    struct PasswordCheck {
        /// Every account with this email address (one per authority at most).
        let candidates: [Person]
        /// The account whose password matched, when the step passes.
        let person: Person?
        /// Why the step fails; nil when it passes.
        let failure: String?
    }

    /// Checks the password against every account with the address (an email is unique within
    /// an authority, so a partner agency's officer may have one in each they work with). bcrypt
    /// runs at least once whatever the address, so the time taken does not say whether it has
    /// an account.
    static func checkPassword(_ candidates: [Person], password: String, _ req: Request) -> PasswordCheck {
        let now = req.now
        let cost = req.convene.options.passwordCost
        guard !candidates.isEmpty else {
            _ = Passwords.verify(password, against: dummyHash(cost: cost))
            return PasswordCheck(candidates: [], person: nil, failure: "unknown email")
        }
        var failure = "wrong password"
        for person in candidates {
            let matches = Passwords.verify(password, against: person.passwordHash ?? dummyHash(cost: cost))
            guard matches, person.passwordHash != nil else { continue }
            if person.disabledAt != nil { failure = "account disabled"; continue }
            if let locked = person.lockedUntil, locked > now { failure = "account locked"; continue }
            return PasswordCheck(candidates: candidates, person: person, failure: nil)
        }
        if failure == "wrong password", candidates.allSatisfy({ ($0.lockedUntil ?? .distantPast) > now }) { failure = "account locked" }
        return PasswordCheck(candidates: candidates, person: nil, failure: failure)
    }

    /// Every account with this email address, oldest first.
    static func candidates(email: String, _ req: Request) async throws -> [Person] {
        try await Person.query(on: req.db).filter(\.$email == email).sort(\.$createdAt).all()
    }

    /// Whether the client address is blocked for this attempt: too many failures from it,
    /// and the browser has not signed in to one of these accounts before.
    static func isThrottled(_ req: Request, candidates: [Person]) async throws -> Bool {
        guard try await LoginThrottling.isBlocked("ip:" + req.clientIP, now: req.now, db: req.db) else { return false }
        return !candidates.contains { person in person.id.map { KnownDevice.matches(req, personID: $0) } ?? false }
    }

    /// One failed attempt: counted against the address and, for a wrong password or code, the
    /// accounts concerned (each locked for 15 minutes after 5), and audited. Returns whether an
    /// account is now locked.
    @discardableResult
    static func recordFailure(_ req: Request, people: [Person], email: String, reason: String, countAgainstAccount: Bool,
                              detail: String = "") async throws -> Bool {
        let now = req.now
        let first = people.first
        let actor = Actor(id: first?.id, name: first?.name ?? email, organisationID: first?.$organisation.id, ip: req.clientIP)
        return try await req.db.audited(by: actor, now: now) { db in
            var locked = false
            var records: [AuditRecord] = []
            if countAgainstAccount {
                for person in people where (person.lockedUntil ?? .distantPast) <= now {
                    person.failedLogins += 1
                    if person.failedLogins >= LoginThrottling.maxPerAccount {
                        person.lockedUntil = now.addingTimeInterval(LoginThrottling.lockout)
                        person.failedLogins = 0
                        locked = true
                        records.append(AuditRecord("account-locked", "person", id: person.id, reason: reason, flagged: true))
                    }
                    try await person.save(on: db)
                }
            }
            try await LoginThrottling.recordFailure("ip:" + req.clientIP, now: now, db: db)
            records.insert(AuditRecord("login-failed", "person", id: first?.id, reason: reason,
                                       detail: detail.isEmpty ? email : "\(email) (\(detail))"), at: 0)
            return (locked, records)
        }
    }

    /// The step of a valid, unused security code, or nil.
    static func acceptedCode(_ code: String?, for person: Person, now: Date) -> Int64? {
        guard let code, let secret = person.totpSecret else { return nil }
        return TOTP.acceptedStep(code, secret: secret, at: now, after: person.totpLastStep)
    }

    /// A complete sign-in: failures cleared, the code's step kept (it cannot be used again).
    static func succeeded(_ person: Person, codeStep: Int64?) {
        person.failedLogins = 0
        person.lockedUntil = nil
        if let codeStep {
            person.totpLastStep = codeStep
            person.totpEnabled = true
        }
    }

    static let throttledMessage = "Too many failed attempts from your network. Wait 15 minutes and try again."
}

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
