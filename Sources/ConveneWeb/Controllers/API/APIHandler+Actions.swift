import ConveneAPI
import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// SMART actions and the safety plan (ACT-ALL-01, ACT-ALL-02), monitoring, the summary of
/// agreed actions (ACT-003-01) and progress by the person responsible (ACT-ALL-03).
extension APIHandler {
    func listActions(_ input: APIOperations.ListActions.Input) async throws -> APIOperations.ListActions.Output {
        let req = try APIContext.current()
        let page = try PageRequest(page: input.query.page, per: input.query.per)
        let loaded = try await req.discussion(input.path.discussionId, for: .viewRecord)
        try await Self.auditView(loaded, "actions", req)
        let rows = try await RecordBuilder.actions(loaded.id, on: req.db)
        let items = try page.slice(rows).map(Schemas.Action.init)
        return .ok(.init(body: .json(.init(items: items, pagination: page.info(total: rows.count)))))
    }

    func addAction(_ input: APIOperations.AddAction.Input) async throws -> APIOperations.AddAction.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .recordMeeting)
        let action = try SmartAction(body, children: loaded.childIDs)
        // Operations names an unknown owner `owner`; the body named them with `ownerId`.
        let rename = APIFieldNames.table(body.ownerId == nil ? [:] : ["owner": "ownerId"])
        let id = try await APIFieldNames.renaming(rename) { try await Operations.addAction(req.lifecycle, loaded, action) }
        guard let row = try await ActionRecord.find(id, on: req.db) else { throw Abort(.notFound) }
        return .created(.init(body: .json(try Schemas.Action(row))))
    }

    func cancelAction(_ input: APIOperations.CancelAction.Input) async throws -> APIOperations.CancelAction.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .recordMeeting)
        // Operations names the reason by the action (as the page's form does); the body calls it `reason`.
        let field = "cancel." + input.path.actionId.slug + ".reason"
        try await APIFieldNames.renaming(APIFieldNames.table([field: "reason"])) {
            try await Operations.cancelAction(req.lifecycle, loaded, actionID: input.path.actionId, reason: body.reason)
        }
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }

    func saveMonitoring(_ input: APIOperations.SaveMonitoring.Input) async throws -> APIOperations.SaveMonitoring.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .recordMeeting)
        try await Operations.saveMonitoring(req.lifecycle, loaded, monitoredBy: body.monitoredBy,
                                            safetyPlanNotRequiredReason: body.safetyPlanNotRequiredReason ?? "",
                                            expectedVersion: body.expectedVersion)
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }

    func sendActionSummary(_ input: APIOperations.SendActionSummary.Input) async throws -> APIOperations.SendActionSummary.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .recordMeeting)
        try await Operations.sendActionSummary(req.lifecycle, loaded)
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }

    func getAction(_ input: APIOperations.GetAction.Input) async throws -> APIOperations.GetAction.Output {
        let req = try APIContext.current()
        // The same access as the action page: the person responsible, or the team (ACT-ALL-03).
        let loaded = try await LoadedAction.load(input.path.actionId, req.lifecycle)
        try await req.logRead(loaded.read(detail: "api"), discussion: loaded.discussion.id)
        return .ok(.init(body: .json(try Schemas.Action(loaded.action))))
    }

    func updateActionProgress(_ input: APIOperations.UpdateActionProgress.Input) async throws
        -> APIOperations.UpdateActionProgress.Output
    {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let actionID = input.path.actionId
        try await Operations.updateActionStatus(req.lifecycle, actionID: actionID, status: try body.status.term(), note: body.note ?? "")
        guard let row = try await ActionRecord.find(actionID, on: req.db) else { throw Abort(.notFound) }
        return .ok(.init(body: .json(try Schemas.Action(row))))
    }
}
