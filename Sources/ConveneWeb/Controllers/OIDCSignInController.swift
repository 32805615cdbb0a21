import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Signing in through the authority's own directory with OpenID Connect (issue 15): the
/// authorisation code flow with PKCE (S256), `state` bound to the browser and used once, a
/// `nonce` used once, and the ID token verified against the directory's published keys.
/// A completed sign-in opens a session as a completed password and second-factor sign-in does;
/// every refusal is audited with its reason and counted against the client address
/// (ASVS-5.0-6.3.1, 16.3.1).
enum OIDCSignInController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post("sign-in", "oidc", ":provider", use: start)
        routes.get("sign-in", "oidc", "callback", use: callback)
    }

    /// How long a person may take at their directory.
    static let signInLifetime: TimeInterval = 600
    /// How long a spent sign-in is kept, so that its nonce is recognised if it comes again.
    static let keepSpent: TimeInterval = 86_400
    static let scope = "openid email profile"

    /// The redirect URI registered with every directory: from the configured public address,
    /// never from the request's Host header.
    static func redirectURI(_ req: Request) -> String {
        req.convene.options.publicAddress + SiteURL.oidcCallback.path
    }

    struct ContinuePage: Encodable {
        let message: String
        let target: String
        let link: String
    }

    /// POST, with the sign-in page's CSRF token: starting a sign-in writes a row (no state
    /// change on GET, ASVS-5.0-3.5.3). The answer is a page that moves on to the directory by
    /// itself, because the Content-Security-Policy's `form-action 'self'` stops a form's redirect
    /// to another site.
    @Sendable static func start(req: Request) async throws -> Response {
        let id = try req.uuid("provider")
        guard let provider = try await OIDCProvider.find(id, on: req.db), provider.enabled,
              let organisation = try await Organisation.find(provider.organisationID, on: req.db) else { throw Abort(.notFound) }
        let form = try FormData(req)
        let now = req.now
        let actor = Actor(id: nil, name: "anonymous", organisationID: provider.organisationID, ip: req.clientIP)
        var knownDevice: UUID?
        if try await LoginThrottling.isBlocked("ip:" + req.clientIP, now: now, db: req.db) {
            // Only the account this browser signed in to before may get through the block.
            knownDevice = KnownDevice.personID(req)
            if knownDevice == nil {
                try await req.db.audit([AuditRecord("login-throttled", "oidc-provider", id: provider.id,
                                                    reason: "too many failures from this address", detail: provider.displayName)],
                                       by: actor, now: now)
                return try await SignInController.render(req, email: "", errors: [InputError(field: "email", SignInAttempts.throttledMessage)],
                                                         status: .tooManyRequests)
            }
        }
        let metadata: OIDCMetadata
        do {
            metadata = try await req.application.oidcDirectory.metadata(issuer: provider.issuer, now: now)
        } catch {
            // Reading the discovery document throws only `OIDCRefusal`.
            try await recordRefusal(req, error, signIn: nil, provider: provider, now: now)
            return try await refusalPage(req, error, provider: provider, organisation: organisation)
        }
        let state = Tokens.random(), nonce = Tokens.random(), verifier = PKCE.verifier(), browser = Tokens.random()
        let providerID = try provider.requireID()
        let next = SiteURL.safeNext(form["next"])
        let knownDeviceID = knownDevice
        try await req.db.audited(by: actor, now: now) { db in
            // Spent and abandoned sign-ins go once nothing can replay them.
            try await OIDCSignIn.query(on: db).filter(\.$expiresAt < now.addingTimeInterval(-keepSpent)).delete()
            try await OIDCSignIn(providerID: providerID, stateHash: Tokens.sha256(state), nonceHash: Tokens.sha256(nonce),
                                 browserHash: Tokens.sha256(browser), codeVerifier: verifier,
                                 next: next, knownDevicePersonID: knownDeviceID, now: now,
                                 expiresAt: now.addingTimeInterval(signInLifetime)).create(on: db)
            return ((), [AuditRecord("login-redirect", "oidc-provider", id: providerID, detail: provider.displayName)])
        }
        guard var components = URLComponents(url: metadata.authorizationEndpoint, resolvingAgainstBaseURL: false) else {
            throw Abort(.internalServerError)
        }
        let parameters = [
            ("response_type", "code"), ("client_id", provider.clientID), ("redirect_uri", redirectURI(req)), ("scope", scope),
            ("state", state), ("nonce", nonce), ("code_challenge", PKCE.challenge(verifier)), ("code_challenge_method", "S256"),
        ]
        let existing = components.percentEncodedQueryItems ?? []
        components.percentEncodedQueryItems = existing + parameters.map { URLQueryItem(name: $0.0, value: OIDCHTTP.formEncode($0.1)) }
        guard let target = components.url?.absoluteString else { throw Abort(.internalServerError) }
        let response = try await req.page("continue", title: "Signing in", ContinuePage(
            message: "Taking you to \(provider.displayName) to sign in.", target: target, link: "Continue to \(provider.displayName)"),
            refresh: target)
        OIDCStateCookie.set(browser, on: response, req)
        return response
    }

    @Sendable static func callback(req: Request) async throws -> Response {
        let now = req.now
        let state = req.query[String.self, at: "state"] ?? ""
        var signIn: OIDCSignIn?
        if !state.isEmpty, state.count <= 200 {
            signIn = try await OIDCSignIn.query(on: req.db).filter(\.$stateHash == Tokens.sha256(state)).with(\.$provider).first()
        }
        let provider = signIn?.provider
        do {
            let (found, claims) = try await verify(req, signIn: signIn, now: now)
            guard let signIn, let provider else { throw OIDCRefusal(.startAgain, "the state is unknown (not one Convene issued)") }
            return try await signedIn(req, signIn: signIn, provider: provider, found: found, claims: claims)
        } catch let refusal as OIDCRefusal {
            try await recordRefusal(req, refusal, signIn: signIn, provider: provider, now: now)
            var organisation: Organisation?
            if let provider { organisation = try await Organisation.find(provider.organisationID, on: req.db) }
            let response = try await refusalPage(req, refusal, provider: provider, organisation: organisation)
            OIDCStateCookie.clear(on: response)
            return response
        }
    }

    /// Every check before the person is signed in; throws the first refusal.
    static func verify(_ req: Request, signIn: OIDCSignIn?, now: Date) async throws -> (DirectoryPeople.Found, IDTokenClaims) {
        guard let signIn else { throw OIDCRefusal(.startAgain, "the state is unknown (not one Convene issued)") }
        guard signIn.usedAt == nil else { throw OIDCRefusal(.startAgain, "the state was already used (a replayed answer)") }
        guard signIn.expiresAt > now else { throw OIDCRefusal(.startAgain, "the sign-in took longer than 10 minutes") }
        guard let browser = OIDCStateCookie.value(req), Tokens.constantTimeEqual(Tokens.sha256(browser), signIn.browserHash) else {
            throw OIDCRefusal(.startAgain, "the state belongs to another browser")
        }
        let provider = signIn.provider
        guard provider.enabled else { throw OIDCRefusal(.directoryRefused, "sign-in through this directory is turned off") }
        if try await LoginThrottling.isBlocked("ip:" + req.clientIP, now: now, db: req.db), signIn.knownDevicePersonID == nil {
            throw OIDCRefusal(.throttled, "too many failures from this address")
        }
        if let error = req.query[String.self, at: "error"] {
            let code = error.filter { $0.isLetter || $0 == "_" }.prefix(60)
            throw OIDCRefusal(.directoryRefused, "the directory answered \(code.isEmpty ? "an error" : String(code))")
        }
        // RFC 9207: a provider that names itself in its answer must name this sign-in's provider
        // (a mix-up between authorities' directories, ASVS-5.0-10.2.2).
        if let iss = req.query[String.self, at: "iss"], iss != provider.issuer {
            throw OIDCRefusal(.notVerified, "the answer came from another issuer than this sign-in's directory")
        }
        guard let code = req.query[String.self, at: "code"], !code.isEmpty, code.count <= 4096 else {
            throw OIDCRefusal(.directoryRefused, "the directory sent no code")
        }
        let directory = req.application.oidcDirectory
        let metadata = try await directory.metadata(issuer: provider.issuer, now: now)
        let secret: String
        do {
            secret = try StoredSecret.open(provider.clientSecretSealed, key: req.convene.keys.secretsKey,
                                           context: OIDCProvider.sealContext(organisationID: provider.organisationID))
        } catch {
            throw OIDCRefusal(.unreachable, "the stored client secret cannot be read with this master key")
        }
        let token = try await OIDCCodeExchange.idToken(code: code, verifier: signIn.codeVerifier, redirectURI: redirectURI(req),
                                                       clientID: provider.clientID, clientSecret: secret, metadata: metadata,
                                                       http: directory.http)
        let claims = try await IDTokenCheck.verify(token, directory: directory, metadata: metadata, clientID: provider.clientID,
                                                   startedAt: signIn.createdAt, now: now)
        let nonceHash = Tokens.sha256(claims.nonce ?? "")
        guard claims.nonce != nil, Tokens.constantTimeEqual(nonceHash, signIn.nonceHash) else {
            let spent = try await OIDCSignIn.query(on: req.db).filter(\.$nonceHash == nonceHash).filter(\.$usedAt != nil).count() > 0
            throw OIDCRefusal(.notVerified, spent ? "the ID token's nonce was already used (a replayed token)"
                : "the ID token's nonce is not this sign-in's")
        }
        let found = try await DirectoryPeople.find(claims, provider: provider, db: req.db)
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
        if try await LoginThrottling.isBlocked("ip:" + req.clientIP, now: now, db: req.db),
           existing?.id == nil || signIn.knownDevicePersonID != existing?.id {
            throw OIDCRefusal(.throttled, "too many failures from this address").with(email: email)
        }
        return (found, claims)
    }

    /// One transaction: the state spent, the person linked or created, the session opened and
    /// the sign-in audited. Administrators then give Convene's own security code, because
    /// Convene cannot tell whether the directory asked for a second factor (NHS DSPT
    /// privileged accounts).
    static func signedIn(_ req: Request, signIn: OIDCSignIn, provider: OIDCProvider, found match: DirectoryPeople.Found,
                         claims: IDTokenClaims) async throws -> Response {
        let now = req.now
        let person: Person
        switch match {
        case let .existing(existing, _):
            person = existing
        case let .create(email, name):
            let pack = try await Organisation.find(provider.organisationID, on: req.db).flatMap { req.convene.packs.pack($0.packID) }
            person = DirectoryPeople.newPerson(email: email, name: name, sub: claims.sub ?? "", provider: provider,
                                               agencies: (pack?.agencies ?? Vocabulary.agencies).map(\.id))
        }
        let needsSecondFactor = person.role.requiresSecondFactor
        let target = needsSecondFactor ? SiteURL.secondFactor.path : (signIn.next.isEmpty ? SiteURL.myWork.path : signIn.next)
        let response = try await req.page("continue", title: "Signed in", ContinuePage(
            message: needsSecondFactor ? "Now enter your security code." : "You are signed in.", target: target, link: "Continue"),
            refresh: target)
        let signInID = try signIn.requireID()
        let detail = "directory: \(provider.displayName) (\(provider.issuer))"
        let actor = Actor(id: person.id, name: person.name, organisationID: provider.organisationID, ip: req.clientIP)
        try await req.db.audited(by: actor, now: now) { db in
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
            _ = try await Sessions.open(for: person, pending: needsSecondFactor, method: .oidc, on: response, req, db: db)
            records.append(AuditRecord(needsSecondFactor ? "login-directory" : "login", "person", id: person.id, detail: detail))
            return ((), records)
        }
        if !needsSecondFactor { KnownDevice.set(for: try person.requireID(), on: response, req) }
        OIDCStateCookie.clear(on: response)
        return response
    }

    /// A refusal: the state spent, a failure counted against the address, an audit entry with
    /// the reason; all in one transaction.
    static func recordRefusal(_ req: Request, _ refusal: OIDCRefusal, signIn: OIDCSignIn?, provider: OIDCProvider?, now: Date)
        async throws
    {
        var personID = refusal.personID
        if personID == nil, let provider, !refusal.email.isEmpty {
            personID = try await Person.query(on: req.db).filter(\.$organisation.$id == provider.organisationID)
                .filter(\.$email == refusal.email).first()?.id
        }
        let actor = Actor(id: personID, name: refusal.email.isEmpty ? "anonymous" : refusal.email,
                          organisationID: provider?.organisationID, ip: req.clientIP)
        let signInID = signIn?.id
        try await req.db.audited(by: actor, now: now) { [personID] db in
            if let id = signInID, let row = try await OIDCSignIn.find(id, on: db), row.usedAt == nil {
                row.usedAt = now
                try await row.save(on: db)
            }
            // Counted like a wrong password, except when the directory is down (nobody's fault:
            // an office must not lock itself out) or the address is already blocked.
            if refusal.kind != .unreachable && refusal.kind != .throttled {
                try await LoginThrottling.recordFailure("ip:" + req.clientIP, now: now, db: db)
            }
            let detail = [provider.map { "directory: \($0.displayName)" }, refusal.email.isEmpty ? nil : refusal.email]
                .compactMap { $0 }.joined(separator: "; ")
            return ((), [AuditRecord(refusal.kind == .throttled ? "login-throttled" : "login-failed", "person", id: personID,
                                     reason: "directory sign-in refused: \(refusal.reason)", detail: detail)])
        }
    }

    /// The sign-in page with a message the person can act on, and nothing from the token.
    static func refusalPage(_ req: Request, _ refusal: OIDCRefusal, provider: OIDCProvider?, organisation: Organisation?)
        async throws -> Response
    {
        let directory = provider?.displayName ?? "your directory"
        let authority = organisation?.name ?? "your authority"
        let (message, status): (String, HTTPResponseStatus) = switch refusal.kind {
        case .startAgain:
            ("That sign-in has expired or was already used. Start again from this page.", .badRequest)
        case .directoryRefused:
            ("\(directory) did not sign you in. Start again from this page; if it keeps happening, tell your administrator.", .forbidden)
        case .unreachable:
            ("Convene could not reach \(directory). Try again in a few minutes; if it keeps happening, tell your administrator.",
             .serviceUnavailable)
        case .notVerified:
            ("Convene could not verify the answer from \(directory), so you are not signed in. Start again; if it keeps happening, tell your administrator.",
             .forbidden)
        case .emailUnverified:
            ("\(directory) did not confirm your email address, so Convene cannot tell which account is yours. Ask your administrator.",
             .forbidden)
        case .notAllowed:
            ("You do not have a Convene account with \(authority). Ask your administrator to add you.", .forbidden)
        case .disabled:
            ("Your Convene account with \(authority) is disabled. Ask your administrator.", .forbidden)
        case .linkedElsewhere:
            ("Your Convene account with \(authority) is linked to a different account in \(directory). Ask your administrator.",
             .forbidden)
        case .throttled:
            (SignInAttempts.throttledMessage, .tooManyRequests)
        }
        return try await SignInController.render(req, email: "", errors: [InputError(field: "directory", message)], status: status)
    }
}
