import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// An administrator sets up sign-in through the authority's own directory (issue 15): issuer,
/// client id and secret (kept sealed, never shown again), email domains, whether people are
/// created at first sign-in and with which role, whether staff may still use Convene passwords.
/// The discovery document is read before anything is saved, so a mistyped issuer is caught
/// here, not at the next sign-in. Every change is audited, the secret never.
enum AdminDirectoryController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("admin", "directory", use: show)
        routes.post("admin", "directory", use: save)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        try await render(req, state: nil)
    }

    static func render(_ req: Request, state given: FormState?, errors: [InputError] = [],
                       notification: LayoutContext.Notification? = nil) async throws -> Response {
        let (org, provider) = try await Operations.directorySettings(req.lifecycle)
        let page = AdminDirectoryPage(org, provider, state: given, redirectURI: OIDCSignInController.redirectURI(req))
        return try await req.page("admin-directory", title: "Sign-in with your directory", page, errors: errors,
                                  notification: notification)
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let form = try FormData(req)
        do {
            try await Operations.saveDirectorySettings(req.lifecycle, .init(
                displayName: form["displayName"], issuer: form["issuer"], clientID: form["clientID"], clientSecret: form["clientSecret"],
                domains: form["domains"], createPeople: form["createPeople"], defaultRole: form["defaultRole"],
                staffPasswords: form["staffPasswords"], enabled: form["enabled"]),
                directory: req.application.oidcDirectory, secretsKey: req.convene.keys.secretsKey)
        } catch let failure as ValidationFailure {
            return try await render(req, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return try await render(req, state: nil, notification: .success("Saved", "Sign-in with \(form["displayName"].trimmed) is set up."))
    }
}
