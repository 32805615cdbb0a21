import ConveneAPI
import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// Invitees and their invitations (REQ-001-03). Operations does not take an expected version
/// for these steps, so neither does the API.
extension APIHandler {
    func listInvitations(_ input: APIOperations.ListInvitations.Input) async throws -> APIOperations.ListInvitations.Output {
        let req = try APIContext.current()
        let page = try PageRequest(page: input.query.page, per: input.query.per)
        let loaded = try await req.discussion(input.path.discussionId, for: .manageInvitations)
        try await Self.auditView(loaded, "invitations", req)
        let items = try page.slice(loaded.invitations).map(Schemas.Invitation.init)
        let answer = Operations.attendance(loaded)
        let uninvited = answer.required.filter { !$0.present }.map { applied in
            let r = applied.requirement
            return Schemas.UninvitedRequirement(agency: r.agency, agencyName: loaded.pack.agencyName(r.agency), roles: r.roles,
                                                rule: r.rule.description, reason: applied.reason, note: r.note, quorum: r.quorum)
        }
        return .ok(.init(body: .json(.init(items: items, uninvited: uninvited,
                                           pagination: page.info(total: loaded.invitations.count)))))
    }

    func addInvitation(_ input: APIOperations.AddInvitation.Input) async throws -> APIOperations.AddInvitation.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .manageInvitations)
        let invitee = Operations.NewInvitee(personID: body.personId, name: body.name ?? "", email: body.email ?? "",
                                            agency: body.agency ?? "", role: body.role ?? "", phone: body.phone ?? "")
        let id = try await APIFieldNames.renaming(APIFieldNames.table(["person": "personId"])) {
            try await Operations.addInvitation(req.lifecycle, loaded, invitee)
        }
        guard let invitation = try await Invitation.find(id, on: req.db) else { throw Abort(.notFound) }
        return .created(.init(body: .json(try Schemas.Invitation(invitation))))
    }

    func removeInvitation(_ input: APIOperations.RemoveInvitation.Input) async throws -> APIOperations.RemoveInvitation.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .manageInvitations)
        try await Operations.removeInvitation(req.lifecycle, loaded, invitationID: input.path.invitationId)
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }

    func sendInvitations(_ input: APIOperations.SendInvitations.Input) async throws -> APIOperations.SendInvitations.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .manageInvitations)
        let sent = try await Operations.sendInvitations(req.lifecycle, loaded)
        return .ok(.init(body: .json(.init(sent: sent, discussion: try await Self.summary(of: loaded.id, req)))))
    }
}
