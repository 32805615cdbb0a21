import ConveneCore
import ConveneStore
import FluentKit
import Foundation

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
public enum SignInAttempts {
    /// The outcome of the password step.
    public struct PasswordCheck: Sendable {
        /// Every account with this email address (one per authority at most).
        public let candidates: [Person]
        /// The account whose password matched, when the step passes.
        public let person: Person?
        /// Why the step fails; nil when it passes.
        public let failure: String?
    }

    /// Checks the password against every account with the address (an email is unique within
    /// an authority, so a partner agency's officer may have one in each they work with). bcrypt
    /// runs at least once whatever the address, so the time taken does not say whether it has
    /// an account.
    public static func checkPassword(_ candidates: [Person], password: String, _ ctx: LifecycleContext) -> PasswordCheck {
        let now = ctx.now
        let passwords = ctx.passwords
        guard !candidates.isEmpty else {
            _ = passwords.verify(password, passwords.unknownAccountHash())
            return PasswordCheck(candidates: [], person: nil, failure: "unknown email")
        }
        var failure = "wrong password"
        for person in candidates {
            let matches = passwords.verify(password, person.passwordHash ?? passwords.unknownAccountHash())
            guard matches, person.passwordHash != nil else { continue }
            if person.disabledAt != nil { failure = "account disabled"; continue }
            if let locked = person.lockedUntil, locked > now { failure = "account locked"; continue }
            return PasswordCheck(candidates: candidates, person: person, failure: nil)
        }
        if failure == "wrong password", candidates.allSatisfy({ $0.isLocked(at: now) }) { failure = "account locked" }
        return PasswordCheck(candidates: candidates, person: nil, failure: failure)
    }

    /// Every account with this email address, oldest first.
    public static func candidates(email: String, _ ctx: LifecycleContext) async throws -> [Person] {
        try await Person.query(on: ctx.db).filter(\.$email == email).sort(\.$createdAt).all()
    }

    /// Whether the client address is blocked for this attempt: too many failures from it,
    /// and the browser has not signed in to one of these accounts before (`knownDevice`).
    public static func isThrottled(_ ctx: LifecycleContext, candidates: [Person], knownDevice: (UUID) -> Bool) async throws
        -> Bool
    {
        guard try await LoginThrottling.isBlocked("ip:" + ctx.clientAddress, now: ctx.now, db: ctx.db) else { return false }
        return !candidates.contains { person in person.id.map(knownDevice) ?? false }
    }

    /// One failed attempt: counted against the address and, for a wrong password or code, the
    /// accounts concerned (each locked for 15 minutes after 5), and audited. Returns whether an
    /// account is now locked.
    @discardableResult
    public static func recordFailure(_ ctx: LifecycleContext, people: [Person], email: String, reason: String,
                                     countAgainstAccount: Bool, detail: String = "") async throws -> Bool {
        let now = ctx.now
        let first = people.first
        let address = ctx.clientAddress
        let actor = Actor(id: first?.id, name: first?.name ?? email, organisationID: first?.$organisation.id, ip: address)
        return try await ctx.db.audited(by: actor, now: now) { db in
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
            try await LoginThrottling.recordFailure("ip:" + address, now: now, db: db)
            records.insert(AuditRecord("login-failed", "person", id: first?.id, reason: reason,
                                       detail: detail.isEmpty ? email : "\(email) (\(detail))"), at: 0)
            return (locked, records)
        }
    }

    /// The step of a valid, unused security code, or nil.
    public static func acceptedCode(_ code: String?, for person: Person, now: Date) -> Int64? {
        guard let code, let secret = person.totpSecret else { return nil }
        return TOTP.acceptedStep(code, secret: secret, at: now, after: person.totpLastStep)
    }

    /// A complete sign-in: failures cleared, the code's step kept (it cannot be used again).
    public static func succeeded(_ person: Person, codeStep: Int64?) {
        person.failedLogins = 0
        person.lockedUntil = nil
        if let codeStep {
            person.totpLastStep = codeStep
            person.totpEnabled = true
        }
    }

    public static let throttledMessage = "Too many failed attempts from your network. Wait 15 minutes and try again."
}

extension SignInAttempts {
    /// One message for every failed sign-in: it never says whether an address has an account
    /// (ASVS-5.0-6.3.8).
    public static let failureMessage = "Enter a correct email address and password. After 5 failed attempts an account is locked for 15 minutes."
}

extension Person {
    /// The person as the audit trail names them, signing in from `ip`.
    public func actorForAudit(ip: String) -> Actor {
        Actor(id: id, name: name, organisationID: $organisation.id, ip: ip)
    }
}
