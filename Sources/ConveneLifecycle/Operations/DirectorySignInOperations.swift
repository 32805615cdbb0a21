import ConveneCore
import ConveneIdentity
import ConveneStore
import Crypto
import FluentKit
import Foundation

/// Signing in through the authority's own directory with OpenID Connect (issue 15), apart from
/// HTTP: the sign-in begun (`state`, `nonce` and the PKCE verifier stored, audited), the
/// directory's answer checked (state, browser, throttling, the code exchanged, the ID token
/// verified, the nonce, the person it names), the person signed in in one transaction, and
/// every refusal audited and counted against the client address (ASVS-5.0-6.3.1, 16.3.1).
/// Pages set the cookies and choose the words.
extension Operations {
    /// How long a person may take at their directory.
    public static let directorySignInLifetime: TimeInterval = 600
    /// How long a spent sign-in is kept, so that its nonce is recognised if it comes again.
    static let keepSpentDirectorySignIns: TimeInterval = 86_400
    public static let directoryScope = "openid email profile"

    /// A directory sign-in begun: what the directory is sent, and the value that binds the
    /// answer to this browser.
    public struct DirectorySignInStart: Sendable {
        public let state: String
        public let nonce: String
        public let verifier: String
        public let browser: String
    }

    /// An enabled directory and its authority, or not found.
    public static func enabledDirectory(_ ctx: LifecycleContext, _ id: UUID) async throws -> (OIDCProvider, Organisation) {
        guard let provider = try await OIDCProvider.find(id, on: ctx.db), provider.enabled,
              let organisation = try await Organisation.find(provider.organisationID, on: ctx.db) else { throw LifecycleError.notFound() }
        return (provider, organisation)
    }

    /// Stores the sign-in (spent and abandoned ones go once nothing can replay them), audited.
    /// `knownDevice`: the person whose known-device cookie the browser holds, who alone may get
    /// through an address block.
    public static func beginDirectorySignIn(_ ctx: LifecycleContext, _ provider: OIDCProvider, next: String,
                                            knownDevice: UUID?) async throws -> DirectorySignInStart {
        let now = ctx.now
        let actor = Actor(id: nil, name: "anonymous", organisationID: provider.organisationID, ip: ctx.clientAddress)
        let start = DirectorySignInStart(state: Tokens.random(), nonce: Tokens.random(), verifier: PKCE.verifier(), browser: Tokens.random())
        let providerID = try provider.requireID()
        try await ctx.db.audited(by: actor, now: now) { db in
            try await OIDCSignIn.query(on: db).filter(\.$expiresAt < now.addingTimeInterval(-keepSpentDirectorySignIns)).delete()
            try await OIDCSignIn(providerID: providerID, stateHash: Tokens.sha256(start.state), nonceHash: Tokens.sha256(start.nonce),
                                 browserHash: Tokens.sha256(start.browser), codeVerifier: start.verifier,
                                 next: next, knownDevicePersonID: knownDevice, now: now,
                                 expiresAt: now.addingTimeInterval(directorySignInLifetime)).create(on: db)
            return ((), [AuditRecord("login-redirect", "oidc-provider", id: providerID, detail: provider.displayName)])
        }
        return start
    }

    /// The address is blocked after too many failures: the attempt is audited and refused.
    public static func refuseThrottledDirectorySignIn(_ ctx: LifecycleContext, _ provider: OIDCProvider) async throws {
        let actor = Actor(id: nil, name: "anonymous", organisationID: provider.organisationID, ip: ctx.clientAddress)
        try await ctx.db.audit([AuditRecord("login-throttled", "oidc-provider", id: provider.id,
                                            reason: "too many failures from this address", detail: provider.displayName)],
                               by: actor, now: ctx.now)
    }

    /// The sign-in a `state` names, with its directory; nil when there is none.
    public static func directorySignIn(_ ctx: LifecycleContext, state: String) async throws -> OIDCSignIn? {
        guard !state.isEmpty, state.count <= 200 else { return nil }
        return try await OIDCSignIn.query(on: ctx.db).filter(\.$stateHash == Tokens.sha256(state)).with(\.$provider).first()
    }

    /// What the directory sent back to the callback, and what the browser presented.
    public struct DirectoryAnswer: Sendable {
        public var code: String?
        public var error: String?
        public var issuer: String?
        /// The value of the browser's sign-in cookie.
        public var browser: String?

        public init(code: String?, error: String?, issuer: String?, browser: String?) {
            self.code = code
            self.error = error
            self.issuer = issuer
            self.browser = browser
        }
    }

    /// Every check before the person is signed in; throws the first refusal.
    public static func verifyDirectoryAnswer(_ ctx: LifecycleContext, signIn: OIDCSignIn?, _ answer: DirectoryAnswer,
                                             directory: OIDCDirectory, redirectURI: String, secretsKey: SymmetricKey)
        async throws -> (DirectoryPeople.Found, IDTokenClaims)
    {
        let now = ctx.now
        guard let signIn else { throw OIDCRefusal(.startAgain, "the state is unknown (not one Convene issued)") }
        guard signIn.usedAt == nil else { throw OIDCRefusal(.startAgain, "the state was already used (a replayed answer)") }
        guard signIn.expiresAt > now else { throw OIDCRefusal(.startAgain, "the sign-in took longer than 10 minutes") }
        guard let browser = answer.browser, Tokens.constantTimeEqual(Tokens.sha256(browser), signIn.browserHash) else {
            throw OIDCRefusal(.startAgain, "the state belongs to another browser")
        }
        let provider = signIn.provider
        guard provider.enabled else { throw OIDCRefusal(.directoryRefused, "sign-in through this directory is turned off") }
        if try await LoginThrottling.isBlocked("ip:" + ctx.clientAddress, now: now, db: ctx.db), signIn.knownDevicePersonID == nil {
            throw OIDCRefusal(.throttled, "too many failures from this address")
        }
        if let error = answer.error {
            let code = error.filter { $0.isLetter || $0 == "_" }.prefix(60)
            throw OIDCRefusal(.directoryRefused, "the directory answered \(code.isEmpty ? "an error" : String(code))")
        }
        // RFC 9207: a provider that names itself in its answer must name this sign-in's provider
        // (a mix-up between authorities' directories, ASVS-5.0-10.2.2).
        if let iss = answer.issuer, iss != provider.issuer {
            throw OIDCRefusal(.notVerified, "the answer came from another issuer than this sign-in's directory")
        }
        guard let code = answer.code, !code.isEmpty, code.count <= 4096 else {
            throw OIDCRefusal(.directoryRefused, "the directory sent no code")
        }
        let metadata = try await directory.metadata(issuer: provider.issuer, now: now)
        let secret: String
        do {
            secret = try StoredSecret.open(provider.clientSecretSealed, key: secretsKey,
                                           context: OIDCProvider.sealContext(organisationID: provider.organisationID))
        } catch {
            throw OIDCRefusal(.unreachable, "the stored client secret cannot be read with this master key")
        }
        let token = try await OIDCCodeExchange.idToken(code: code, verifier: signIn.codeVerifier, redirectURI: redirectURI,
                                                       clientID: provider.clientID, clientSecret: secret, metadata: metadata,
                                                       http: directory.http)
        let claims = try await IDTokenCheck.verify(token, directory: directory, metadata: metadata, clientID: provider.clientID,
                                                   startedAt: signIn.createdAt, now: now)
        let nonceHash = Tokens.sha256(claims.nonce ?? "")
        guard claims.nonce != nil, Tokens.constantTimeEqual(nonceHash, signIn.nonceHash) else {
            let spent = try await OIDCSignIn.query(on: ctx.db).filter(\.$nonceHash == nonceHash).filter(\.$usedAt != nil).count() > 0
            throw OIDCRefusal(.notVerified, spent ? "the ID token's nonce was already used (a replayed token)"
                : "the ID token's nonce is not this sign-in's")
        }
        let found = try await DirectoryPeople.find(claims, provider: provider, db: ctx.db)
        let email = claims.verifiedEmail ?? claims.email ?? ""
        var existing: Person?
        if case let .existing(person, _) = found {
            guard person.disabledAt == nil else {
                var refusal = OIDCRefusal(.disabled, "account disabled").with(email: email)
                refusal.personID = person.id
                throw refusal
            }
            existing = person
        }
        // Through an address block, only the account whose known-device cookie started this.
        if try await LoginThrottling.isBlocked("ip:" + ctx.clientAddress, now: now, db: ctx.db),
           existing?.id == nil || signIn.knownDevicePersonID != existing?.id {
            throw OIDCRefusal(.throttled, "too many failures from this address").with(email: email)
        }
        return (found, claims)
    }

    /// The person a verified answer signs in: the one found, or the one to create with the
    /// authority's pack's agencies.
    public static func directoryPerson(_ ctx: LifecycleContext, _ found: DirectoryPeople.Found, claims: IDTokenClaims,
                                       provider: OIDCProvider) async throws -> Person {
        switch found {
        case let .existing(existing, _):
            return existing
        case let .create(email, name):
            let pack = try await Organisation.find(provider.organisationID, on: ctx.db).flatMap { ctx.packs.pack($0.packID) }
            return DirectoryPeople.newPerson(email: email, name: name, sub: claims.sub ?? "", provider: provider,
                                             agencies: (pack?.agencies ?? Vocabulary.agencies).map(\.id))
        }
    }

    /// One transaction: the state spent, the person linked or created, the session opened
    /// (`openSession`, with whether the second factor is still to come) and the sign-in
    /// audited. Administrators then give Convene's own security code, because Convene cannot
    /// tell whether the directory asked for a second factor (NHS DSPT privileged accounts).
    public static func completeDirectorySignIn(_ ctx: LifecycleContext, signIn: OIDCSignIn, provider: OIDCProvider, person: Person,
                                               found match: DirectoryPeople.Found, claims: IDTokenClaims,
                                               openSession: @escaping @Sendable (Person, Bool, any Database) async throws -> Void)
        async throws
    {
        let now = ctx.now
        let needsSecondFactor = person.role.requiresSecondFactor
        let signInID = try signIn.requireID()
        let detail = "directory: \(provider.displayName) (\(provider.issuer))"
        let actor = Actor(id: person.id, name: person.name, organisationID: provider.organisationID, ip: ctx.clientAddress)
        try await ctx.db.audited(by: actor, now: now) { db in
            // Spent here, under the audit chain's lock that every writer takes first: a second
            // answer with the same state, however close behind, finds it spent.
            guard let fresh = try await OIDCSignIn.find(signInID, on: db), fresh.usedAt == nil else {
                throw OIDCRefusal(.startAgain, "the state was already used (a replayed answer)")
            }
            fresh.usedAt = now
            try await fresh.save(on: db)
            var records: [AuditRecord] = []
            switch match {
            case .create:
                try await person.create(on: db)
                records.append(AuditRecord("create", "person", id: person.id,
                                           detail: "\(person.role.rawValue), at first sign-in through \(provider.displayName)"))
            case let .existing(existing, link):
                if link {
                    existing.oidcIssuer = provider.issuer
                    existing.oidcSubject = claims.sub
                    try await existing.save(on: db)
                    records.append(AuditRecord("directory-link", "person", id: existing.id,
                                               detail: "matched by verified email in \(provider.displayName)"))
                }
            }
            try await openSession(person, needsSecondFactor, db)
            records.append(AuditRecord(needsSecondFactor ? "login-directory" : "login", "person", id: person.id, detail: detail))
            return ((), records)
        }
    }

    /// A refusal: the state spent, a failure counted against the address, an audit entry with
    /// the reason; all in one transaction.
    public static func recordDirectoryRefusal(_ ctx: LifecycleContext, _ refusal: OIDCRefusal, signIn: OIDCSignIn?,
                                              provider: OIDCProvider?) async throws {
        let now = ctx.now
        var personID = refusal.personID
        if personID == nil, let provider, !refusal.email.isEmpty {
            personID = try await Person.query(on: ctx.db).filter(\.$organisation.$id == provider.organisationID)
                .filter(\.$email == refusal.email).first()?.id
        }
        let actor = Actor(id: personID, name: refusal.email.isEmpty ? "anonymous" : refusal.email,
                          organisationID: provider?.organisationID, ip: ctx.clientAddress)
        let signInID = signIn?.id
        let address = ctx.clientAddress
        try await ctx.db.audited(by: actor, now: now) { [personID] db in
            if let id = signInID, let row = try await OIDCSignIn.find(id, on: db), row.usedAt == nil {
                row.usedAt = now
                try await row.save(on: db)
            }
            // Counted like a wrong password, except when the directory is down (nobody's fault:
            // an office must not lock itself out) or the address is already blocked.
            if refusal.kind != .unreachable && refusal.kind != .throttled {
                try await LoginThrottling.recordFailure("ip:" + address, now: now, db: db)
            }
            let detail = [provider.map { "directory: \($0.displayName)" }, refusal.email.isEmpty ? nil : refusal.email]
                .compactMap { $0 }.joined(separator: "; ")
            return ((), [AuditRecord(refusal.kind == .throttled ? "login-throttled" : "login-failed", "person", id: personID,
                                     reason: "directory sign-in refused: \(refusal.reason)", detail: detail)])
        }
    }
}
