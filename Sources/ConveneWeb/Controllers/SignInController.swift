import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Signing in and out (issue 5): password, then a second factor where the person has one
/// (always for administrators), with lock-out after repeated failures and every attempt
/// audited (ASVS-5.0-16.3.1).
enum SignInController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("sign-in", use: show)
        routes.post("sign-in", use: submit)
        routes.get("sign-in", "second-factor", use: showSecondFactor)
        routes.post("sign-in", "second-factor", use: submitSecondFactor)
        routes.post("sign-out", use: signOut)
        routes.post("sign-out-everywhere", use: signOutEverywhere)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: SiteURL.myWork.path) }
        return try await render(req, email: "", errors: [], signedOut: req.query[String.self, at: "signed-out"] != nil)
    }

    static func render(_ req: Request, email: String, errors: [InputError], signedOut: Bool = false,
                       status: HTTPResponseStatus? = nil) async throws -> Response {
        let directories = try await Operations.directories(req.lifecycle)
        let page = SignInPage(email: email, errors: errors, directories: directories, next: SiteURL.safeNext(req.query[String.self, at: "next"]),
                              signedOut: signedOut, demo: req.convene.options.demo)
        return try await req.page("sign-in", title: "Sign in", page, errors: errors,
                                  notification: signedOut ? .success("You have signed out") : nil, status: status)
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let form = try FormData(req)
        let email = form["email"].trimmed.lowercased()
        let response = Response(status: .seeOther)
        let step = try await Operations.signIn(req.lifecycle, email: email, password: form["password"],
                                               knownDevice: { KnownDevice.matches(req, personID: $0) }) { user, pending, db in
            _ = try await Sessions.open(for: user, pending: pending, on: response, req, db: db)
        }
        switch step {
        case let .incomplete(errors):
            return try await render(req, email: email, errors: errors)
        case .throttled:
            return try await render(req, email: email, errors: [InputError(field: "email", SignInAttempts.throttledMessage)],
                                    status: .tooManyRequests)
        case .refused:
            return try await render(req, email: email, errors: [InputError(field: "email", SignInAttempts.failureMessage)])
        case let .directoryRequired(message):
            return try await render(req, email: email, errors: [InputError(field: "directory", message)], status: .forbidden)
        case let .passed(user, pending):
            let next = SiteURL.safeNext(form["next"])
            response.headers.replaceOrAdd(name: .location, value: pending ? SiteURL.secondFactor.path
                : (user.mustChangePassword ? SiteURL.account.path : (next.isEmpty ? SiteURL.myWork.path : next)))
            if !pending { KnownDevice.set(for: try user.requireID(), on: response, req) }
            return response
        }
    }

    @Sendable static func showSecondFactor(req: Request) async throws -> Response {
        guard let session = req.storage[PendingSessionKey.self] else { return req.redirect(to: SiteURL.signIn.path) }
        let person = try await session.$person.get(on: req.db)
        return try await renderSecondFactor(req, person: person, errors: [])
    }

    static func renderSecondFactor(_ req: Request, person: Person, errors: [InputError]) async throws -> Response {
        let secret = try await Operations.securityCodeSecret(req.lifecycle, for: person)
        let page = SecondFactorPage(person: person, secret: secret, errors: errors)
        return try await req.page("second-factor", title: "Enter your security code", page, errors: errors)
    }

    @Sendable static func submitSecondFactor(req: Request) async throws -> Response {
        guard let pending = req.storage[PendingSessionKey.self] else { return req.redirect(to: SiteURL.signIn.path) }
        let form = try FormData(req)
        let response = Response(status: .seeOther)
        let step = try await Operations.confirmSecurityCode(req.lifecycle, pending: pending, code: form["code"],
                                                            knownDevice: { KnownDevice.matches(req, personID: $0) }) { person, method, db in
            _ = try await Sessions.open(for: person, pending: false, method: method, on: response, req, db: db)
        }
        switch step {
        case let .ended(throttled):
            let person = try await pending.$person.get(on: req.db)
            let failed = try await render(req, email: person.email,
                                          errors: [InputError(field: "email", throttled ? SignInAttempts.throttledMessage : SignInAttempts.failureMessage)],
                                          status: throttled ? .tooManyRequests : nil)
            SessionCookie.clear(on: failed)
            return failed
        case .wrongCode:
            return try await renderSecondFactor(req, person: try await pending.$person.get(on: req.db), errors: [InputError(field: "code",
                "Enter the current 6-digit code from your authenticator app. A code works once only.")])
        case let .passed(person):
            response.headers.replaceOrAdd(name: .location, value: person.mustChangePassword ? SiteURL.account.path : SiteURL.myWork.path)
            KnownDevice.set(for: try person.requireID(), on: response, req)
            return response
        }
    }

    @Sendable static func signOut(req: Request) async throws -> Response {
        let response = req.redirect(to: SiteURL.signIn.path + "?signed-out=1")
        if let token = SessionCookie.token(req) {
            try await Operations.signOut(req.lifecycle, sessionToken: token)
        }
        SessionCookie.clear(on: response)
        return response
    }

    @Sendable static func signOutEverywhere(req: Request) async throws -> Response {
        try await Operations.signOutEverywhere(req.lifecycle)
        let response = req.redirect(to: SiteURL.signIn.path + "?signed-out=1")
        SessionCookie.clear(on: response)
        return response
    }
}
