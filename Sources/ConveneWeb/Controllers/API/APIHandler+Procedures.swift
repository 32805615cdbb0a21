import ConveneAPI
import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Issue 16 through the API, as on the pages: the SARC contact before convening (TIME-000-02),
/// changes to the s47 outcome and the members' endorsements (DEC-004-01), and moving a case to
/// another team (REQ-003-01).
extension APIHandler {
    func recordSarcContact(_ input: APIOperations.RecordSarcContact.Input) async throws -> APIOperations.RecordSarcContact.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .recordImmediateProtection)
        try await APIFieldNames.renaming(APIFieldNames.table([
            "sarcContactedAt": "contactedAt", "sarcContactedBy": "contactedBy", "sarcForensicAdvice": "forensicAdvice",
        ])) {
            try await Operations.recordSarcContact(req.lifecycle, loaded, at: body.contactedAt, by: body.contactedBy, advice: body.forensicAdvice)
        }
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }

    func listOutcomeChanges(_ input: APIOperations.ListOutcomeChanges.Input) async throws -> APIOperations.ListOutcomeChanges.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .viewDiscussion)
        let overview = try await Operations.outcomeChanges(req.lifecycle, loaded)
        let items = try overview.changes.map { try Self.outcomeChange($0, overview) }
        return .ok(.init(body: .json(.init(rule: overview.rules.rule.description, items: items))))
    }

    func proposeOutcomeChange(_ input: APIOperations.ProposeOutcomeChange.Input) async throws
        -> APIOperations.ProposeOutcomeChange.Output
    {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .recordFollowUp)
        let id = try await Operations.proposeOutcomeChange(req.lifecycle, loaded, change: body.change, reason: body.reason)
        return .created(.init(body: .json(try await Self.outcomeChange(id, loaded, req))))
    }

    func respondToOutcomeChange(_ input: APIOperations.RespondToOutcomeChange.Input) async throws
        -> APIOperations.RespondToOutcomeChange.Output
    {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .viewDiscussion)
        try await APIFieldNames.renaming(APIFieldNames.table(["responseReason": "reason"])) {
            try await Operations.respondToOutcomeChange(req.lifecycle, loaded, changeID: input.path.changeId,
                                                        response: EndorsementResponse(rawValue: body.response.rawValue),
                                                        reason: body.reason)
        }
        return .ok(.init(body: .json(try await Self.outcomeChange(input.path.changeId, loaded, req))))
    }

    func transferCase(_ input: APIOperations.TransferCase.Input) async throws -> APIOperations.TransferCase.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let (loaded, _) = try await req.caseTimeline(input.path.caseId, for: .transferCase)
        try await APIFieldNames.renaming(APIFieldNames.table(["transferReason": "reason"])) {
            try await Operations.transferCase(req.lifecycle, loaded, toTeam: body.toTeam, reason: body.reason)
        }
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }

    /// One change as it stands now.
    static func outcomeChange(_ id: UUID, _ loaded: LoadedDiscussion, _ req: Request) async throws -> Schemas.OutcomeChange {
        let overview = try await Operations.outcomeChanges(req.lifecycle, loaded)
        guard let change = overview.changes.first(where: { $0.id == id }) else { throw Abort(.notFound) }
        return try outcomeChange(change, overview)
    }

    static func outcomeChange(_ change: OutcomeChange, _ overview: ConveneLifecycle.Operations.OutcomeChanges) throws
        -> Schemas.OutcomeChange
    {
        let answers = overview.responses(to: change)
        return Schemas.OutcomeChange(
            id: try change.requireID(), change: change.change, reason: change.reason, proposedBy: change.proposedByName,
            proposedAt: change.proposedAt, members: change.members,
            status: try term(change.status.rawValue),
            responses: try answers.map { answer in
                .init(name: answer.name, agency: answer.agency, response: try term(answer.response.rawValue), reason: answer.reason,
                      respondedAt: answer.respondedAt)
            })
    }

    /// The document's enum value for one of ours (they share every value).
    static func term<T: RawRepresentable>(_ raw: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw Abort(.internalServerError, reason: "unknown value \(raw)") }
        return value
    }
}
