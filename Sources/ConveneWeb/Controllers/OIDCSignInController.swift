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

    /// The redirect URI registered with every directory: from the configured public address,
    /// never from the request's Host header.
    static func redirectURI(_ req: Request) -> String {
        req.convene.options.publicAddress + SiteURL.oidcCallback.path
    }

    /// POST, with the sign-in page's CSRF token: starting a sign-in writes a row (no state
    /// change on GET, ASVS-5.0-3.5.3). The answer is a page that moves on to the directory by
    /// itself, because the Content-Security-Policy's `form-action 'self'` stops a form's redirect
    /// to another site.
    @Sendable static func start(req: Request) async throws -> Response {
        let (provider, organisation) = try await Operations.enabledDirectory(req.lifecycle, try req.uuid("provider"))
        let form = try FormData(req)
        var knownDevice: UUID?
        if try await LoginThrottling.isBlocked("ip:" + req.clientIP, now: req.now, db: req.db) {
            // Only the account this browser signed in to before may get through the block.
            knownDevice = KnownDevice.personID(req)
            if knownDevice == nil {
                try await Operations.refuseThrottledDirectorySignIn(req.lifecycle, provider)
                return try await SignInController.render(req, email: "", errors: [InputError(field: "email", SignInAttempts.throttledMessage)],
                                                         status: .tooManyRequests)
            }
        }
        let metadata: OIDCMetadata
        do {
            metadata = try await req.application.oidcDirectory.metadata(issuer: provider.issuer, now: req.now)
        } catch {
            // Reading the discovery document throws only `OIDCRefusal`.
            try await Operations.recordDirectoryRefusal(req.lifecycle, error, signIn: nil, provider: provider)
            return try await refusalPage(req, error, provider: provider, organisation: organisation)
        }
        let start = try await Operations.beginDirectorySignIn(req.lifecycle, provider, next: SiteURL.safeNext(form["next"]),
                                                              knownDevice: knownDevice)
        guard let target = metadata.authorizationURL(clientID: provider.clientID, redirectURI: redirectURI(req),
                                                     scope: Operations.directoryScope, state: start.state, nonce: start.nonce,
                                                     verifier: start.verifier) else { throw Abort(.internalServerError) }
        let response = try await req.page("continue", title: "Signing in", ContinuePage(
            message: "Taking you to \(provider.displayName) to sign in.", target: target, link: "Continue to \(provider.displayName)"),
            refresh: target)
        OIDCStateCookie.set(start.browser, on: response, req)
        return response
    }

    @Sendable static func callback(req: Request) async throws -> Response {
        let signIn = try await Operations.directorySignIn(req.lifecycle, state: req.query[String.self, at: "state"] ?? "")
        let provider = signIn?.provider
        do {
            let answer = Operations.DirectoryAnswer(code: req.query[String.self, at: "code"], error: req.query[String.self, at: "error"],
                                                    issuer: req.query[String.self, at: "iss"], browser: OIDCStateCookie.value(req))
            let (found, claims) = try await Operations.verifyDirectoryAnswer(
                req.lifecycle, signIn: signIn, answer, directory: req.application.oidcDirectory, redirectURI: redirectURI(req),
                secretsKey: req.convene.keys.secretsKey)
            guard let signIn, let provider else { throw OIDCRefusal(.startAgain, "the state is unknown (not one Convene issued)") }
            return try await signedIn(req, signIn: signIn, provider: provider, found: found, claims: claims)
        } catch let refusal as OIDCRefusal {
            try await Operations.recordDirectoryRefusal(req.lifecycle, refusal, signIn: signIn, provider: provider)
            var organisation: Organisation?
            if let provider { organisation = try await Organisation.find(provider.organisationID, on: req.db) }
            let response = try await refusalPage(req, refusal, provider: provider, organisation: organisation)
            OIDCStateCookie.clear(on: response)
            return response
        }
    }

    /// The page that moves on (to the security code for administrators), with the session's
    /// cookie set in the transaction that signs the person in.
    static func signedIn(_ req: Request, signIn: OIDCSignIn, provider: OIDCProvider, found: DirectoryPeople.Found,
                         claims: IDTokenClaims) async throws -> Response {
        let person = try await Operations.directoryPerson(req.lifecycle, found, claims: claims, provider: provider)
        let needsSecondFactor = person.role.requiresSecondFactor
        let target = needsSecondFactor ? SiteURL.secondFactor.path : (signIn.next.isEmpty ? SiteURL.myWork.path : signIn.next)
        let response = try await req.page("continue", title: "Signed in", ContinuePage(
            message: needsSecondFactor ? "Now enter your security code." : "You are signed in.", target: target, link: "Continue"),
            refresh: target)
        try await Operations.completeDirectorySignIn(req.lifecycle, signIn: signIn, provider: provider, person: person, found: found,
                                                     claims: claims) { person, pending, db in
            _ = try await Sessions.open(for: person, pending: pending, method: .oidc, on: response, req, db: db)
        }
        if !needsSecondFactor { KnownDevice.set(for: try person.requireID(), on: response, req) }
        OIDCStateCookie.clear(on: response)
        return response
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
