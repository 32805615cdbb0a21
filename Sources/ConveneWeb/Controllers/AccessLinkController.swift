import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Personal access links for invitees without an account (REQ-001-03): single-person,
/// time-limited, and bound to the first browser that opens them, so a forwarded link does not
/// work. Opening one is a POST from a confirmation page (no state change on GET).
enum AccessLinkController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("access", ":token", use: show)
        routes.post("access", ":token", use: redeem)
    }

    static let deviceCookie = "convene-device"

    @Sendable static func show(req: Request) async throws -> Response {
        let valid = try await Operations.personalLinkValid(req.lifecycle, token: req.parameters.get("token") ?? "")
        let page = AccessLinkPage(action: req.url.path, valid: valid)
        return try await req.page("access", title: "Open your invitation", page, status: valid ? .ok : .notFound)
    }

    @Sendable static func redeem(req: Request) async throws -> Response {
        let device = req.cookies[deviceCookie]?.string ?? Tokens.random()
        let response = Response(status: .seeOther)
        let discussionID = try await Operations.redeemPersonalLink(
            req.lifecycle, token: req.parameters.get("token") ?? "", deviceHash: Tokens.sha256(device)
        ) { person, invitation, db in
            _ = try await Sessions.open(for: person, pending: false, invitationID: invitation.id, on: response, req, db: db)
        }
        response.headers.replaceOrAdd(name: .location, value: SiteURL.discussion(discussionID).path)
        let secure = SessionCookie.secure(req)
        response.cookies[deviceCookie] = HTTPCookies.Value(string: device, expires: req.now.addingTimeInterval(90 * 86_400),
                                                           path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .strict)
        return response
    }
}
