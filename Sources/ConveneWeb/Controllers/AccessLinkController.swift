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

    struct Page: Encodable {
        let action: String
        let valid: Bool
        let message: String
    }

    static func find(_ req: Request) async throws -> Invitation? {
        guard let token = req.parameters.get("token"), token.count >= 20, token.count <= 100 else { return nil }
        return try await Invitation.query(on: req.db).filter(\.$accessTokenHash == Tokens.sha256(token)).first()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let invitation = try await find(req)
        let valid = invitation.map { ($0.accessExpiresAt ?? .distantPast) > req.now } ?? false
        let page = Page(action: req.url.path, valid: valid,
                        message: valid ? "" : "This link has expired or is not valid. Ask the chair of the discussion to send you a new one.")
        return try await req.page("access", title: "Open your invitation", page, status: valid ? .ok : .notFound)
    }

    @Sendable static func redeem(req: Request) async throws -> Response {
        guard let invitation = try await find(req), (invitation.accessExpiresAt ?? .distantPast) > req.now else {
            throw Abort(.notFound)
        }
        let device = req.cookies[deviceCookie]?.string ?? Tokens.random()
        let deviceHash = Tokens.sha256(device)
        if let bound = invitation.accessDeviceHash, bound != deviceHash {
            try await req.db.audit([AuditRecord("access-link-refused", "invitation", id: invitation.id,
                                                reason: "opened in a second browser", detail: invitation.name)],
                                   by: req.actor, now: req.now)
            throw Abort(.forbidden, reason: "This personal link has already been opened in another browser, so it cannot be used here. Links cannot be forwarded. Ask the chair to send you a new one.")
        }
        let response = req.redirect(to: SiteURL.discussion(invitation.$discussion.id).path)
        try await req.db.audited(by: Actor(id: nil, name: invitation.name, organisationID: invitation.organisationID, ip: req.clientIP),
                                 now: req.now) { db in
            let person = try await externalPerson(for: invitation, on: db)
            invitation.personID = person.id
            invitation.accessDeviceHash = deviceHash
            try await invitation.save(on: db)
            _ = try await Sessions.open(for: person, pending: false, invitationID: invitation.id, on: response, req, db: db)
            return ((), [AuditRecord("access-link-opened", "invitation", id: invitation.id, detail: invitation.name)])
        }
        let secure = SessionCookie.secure(req)
        response.cookies[deviceCookie] = HTTPCookies.Value(string: device, expires: req.now.addingTimeInterval(90 * 86_400),
                                                           path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .strict)
        return response
    }

    /// The invitee as a person without a password, so their actions are attributable.
    static func externalPerson(for invitation: Invitation, on db: any Database) async throws -> Person {
        if let id = invitation.personID, let person = try await Person.find(id, on: db) { return person }
        let email = invitation.email.isBlank ? "invitee-\(invitation.id!.slug)@invitees.convene" : invitation.email
        if let existing = try await Person.query(on: db).filter(\.$organisation.$id == invitation.organisationID)
            .filter(\.$email == email.lowercased()).first() {
            guard existing.passwordHash == nil else {
                throw Abort(.conflict, reason: "You have a Convene account: sign in with it instead.")
            }
            return existing
        }
        let person = Person(organisationID: invitation.organisationID, teamID: nil, name: invitation.name, email: email,
                            role: .partnerAgency, agency: invitation.agency, agencyRole: invitation.role)
        try await person.create(on: db)
        return person
    }
}
