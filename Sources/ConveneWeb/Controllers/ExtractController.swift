import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// REQ-002-01: the extract behind a teleconference request's personal link ("password
/// protected"): it opens only with the access code sent in a separate message; after five
/// wrong codes the link is locked. Nothing is shown before the code is given.
enum ExtractController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("extract", ":token", use: show)
        routes.post("extract", ":token", use: open)
    }

    struct Page: Encodable {
        let action: String
        let valid: Bool
        let message: String
        let code: FieldContext
        let title: String
        let sections: [ExtractSection]
        let opened: Bool
    }

    static func find(_ req: Request) async throws -> ExtractAccess? {
        guard let token = req.parameters.get("token"), token.count >= 20, token.count <= 100 else { return nil }
        return try await ExtractAccess.query(on: req.db).filter(\.$tokenHash == Tokens.sha256(token)).first()
    }

    static func usable(_ access: ExtractAccess?, now: Date) -> Bool {
        guard let access else { return false }
        return access.expiresAt > now && access.failedAttempts < ExtractAccess.maxAttempts
    }

    static func render(_ req: Request, valid: Bool, state: FormState, errors: [InputError] = [], title: String = "",
                       sections: [ExtractSection] = []) async throws -> Response {
        let page = Page(action: req.url.path, valid: valid,
                        message: valid ? "" : "This link has expired, is locked after too many wrong codes, or is not valid. Ask Children’s Services to send the request again.",
                        code: state.field("code", "Access code", hint: "Sent to you in a separate message").with(width: "10"),
                        title: title, sections: sections, opened: !sections.isEmpty)
        return try await req.page("extract", title: sections.isEmpty ? "Open the request" : title, page, errors: errors,
                                  status: valid ? (errors.isEmpty ? .ok : .badRequest) : .notFound)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        try await render(req, valid: usable(try await find(req), now: req.now), state: FormState())
    }

    @Sendable static func open(req: Request) async throws -> Response {
        guard let access = try await find(req), usable(access, now: req.now), let token = req.parameters.get("token") else {
            return try await render(req, valid: false, state: FormState())
        }
        let form = try FormData(req)
        let code = form["code"].trimmed
        let actor = Actor(id: nil, name: "extract link", organisationID: nil, ip: req.clientIP)
        guard Tokens.constantTimeEqual(Tokens.sha256(token + ":" + code), access.codeHash) else {
            try await req.db.audited(by: actor, now: req.now) { db in
                access.failedAttempts += 1
                try await access.save(on: db)
                return ((), [AuditRecord("extract-refused", "invitation", id: access.invitationID, reason: "wrong access code",
                                         detail: "attempt \(access.failedAttempts)", flagged: access.failedAttempts >= ExtractAccess.maxAttempts)])
            }
            let error = InputError(field: "code", "The access code is not right. Check the separate message and try again.")
            return try await render(req, valid: usable(access, now: req.now), state: FormState(form: form, errors: [error]),
                                    errors: [error])
        }
        guard let discussion = try await Discussion.find(access.discussionID, on: req.db),
              let organisation = try await Organisation.find(discussion.organisationID, on: req.db),
              let message = req.convene.packs.pack(organisation.packID)?.requestMessage else {
            throw Abort(.notFound)
        }
        let invitation = try await Invitation.find(access.invitationID, on: req.db)
        try await req.db.audited(by: Actor(id: nil, name: invitation?.name ?? "invitee", organisationID: discussion.organisationID,
                                           ip: req.clientIP), now: req.now) { db in
            if access.openedAt == nil { access.openedAt = req.now }
            try await access.save(on: db)
            return ((), [AuditRecord("extract-opened", "discussion", id: discussion.id, caseID: discussion.$case.id,
                                     childIDs: discussion.request.children.map(\.id), detail: invitation?.name ?? "")])
        }
        return try await render(req, valid: true, state: FormState(), title: message.title(for: discussion.request, reference: discussion.reference),
                                sections: message.sections(for: discussion.request, start: discussion.slotStart,
                                                           teleconference: discussion.teleconference))
    }
}
