import ConveneAPI
import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Discussions: the list, one discussion, its request, a new request (REQ-001-01) and the
/// decision to convene (REQ-001-02).
extension APIHandler {
    func listDiscussions(_ input: APIOperations.ListDiscussions.Input) async throws -> APIOperations.ListDiscussions.Output {
        let req = try APIContext.current()
        let page = try PageRequest(page: input.query.page, per: input.query.per)
        var list = try DiscussionList(scope: req.discussionListScope())
        if let stage = input.query.stage { list.stages = [try stage.term(DiscussionStage.self)] }
        async let counted = list.count(on: req.db)
        let rows = try await list.rows(page.range, on: req.db)
        // The summaries carry no personal data, so listing them is not a read of a record.
        let items = try rows.map(Schemas.DiscussionSummary.init)
        let total = try await counted
        return .ok(.init(body: .json(.init(items: items, pagination: page.info(total: total)))))
    }

    func createDiscussion(_ input: APIOperations.CreateDiscussion.Input) async throws -> APIOperations.CreateDiscussion.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        var checks = FieldChecks()
        let request = try DiscussionRequest(body, checks: &checks)
        let id = try await Operations.createRequest(req.lifecycle, request: request, teamID: body.team, formErrors: checks.errors)
        return .created(.init(body: .json(try await Self.summary(of: id, req))))
    }

    func getDiscussion(_ input: APIOperations.GetDiscussion.Input) async throws -> APIOperations.GetDiscussion.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .viewDiscussion)
        try await Self.auditView(loaded, "discussion", req)
        let timeline = try await CaseTimeline.load(around: loaded, on: req.db)
        let key = CaseTimeline.key(loaded.discussion)
        // This discussion's duties and the case's own (as the task list shows them).
        let duties = timeline.duties(pack: loaded.pack, asOf: req.now).filter { $0.discussion == nil || $0.discussion == key }
        return .ok(.init(body: .json(try Schemas.DiscussionDetail(loaded, duties: duties))))
    }

    func getDiscussionRequest(_ input: APIOperations.GetDiscussionRequest.Input) async throws
        -> APIOperations.GetDiscussionRequest.Output
    {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .viewDiscussion)
        try await Self.auditView(loaded, "request", req)
        return .ok(.init(body: .json(try Schemas.RequestDetails(loaded.discussion.request))))
    }

    func decideDiscussion(_ input: APIOperations.DecideDiscussion.Input) async throws -> APIOperations.DecideDiscussion.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .decideConvene)
        try await Operations.decide(req.lifecycle, loaded, convene: body.convene, reason: body.reason ?? "",
                                    expectedVersion: body.expectedVersion)
        return .ok(.init(body: .json(try await Self.summary(of: loaded.id, req))))
    }
}
