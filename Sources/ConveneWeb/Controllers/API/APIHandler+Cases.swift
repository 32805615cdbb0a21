import ConveneAPI
import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Follow-up on the case: the timeline and duties, s47 completion, ICPC, assessment and LADO
/// referral, review discussions (TIME-002-04), late reasons and changed deadlines
/// (TIME-000-01, INT-ALL-06) and immediate protection (IMM-000-01, IMM-000-02).
extension APIHandler {
    func getCase(_ input: APIOperations.GetCase.Input) async throws -> APIOperations.GetCase.Output {
        let req = try APIContext.current()
        let (loaded, timeline) = try await req.caseTimeline(input.path.caseId, for: .viewDiscussion)
        try await Self.auditView(loaded, "case timeline", req, objectType: "case")
        let duties = timeline.duties(pack: loaded.pack, asOf: req.now)
        return .ok(.init(body: .json(try Schemas.CaseView(timeline, duties: duties))))
    }

    func addCaseEvent(_ input: APIOperations.AddCaseEvent.Input) async throws -> APIOperations.AddCaseEvent.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let (loaded, timeline) = try await req.caseTimeline(input.path.caseId, for: .recordFollowUp)
        let id = try await Operations.addCaseEvent(req.lifecycle, loaded, timeline, type: try body._type.term(), at: body.at,
                                                   icpcRequired: body.icpcRequired, note: body.note ?? "")
        return .created(.init(body: .json(.init(id: id))))
    }

    func requestReview(_ input: APIOperations.RequestReview.Input) async throws -> APIOperations.RequestReview.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let (loaded, timeline) = try await req.caseTimeline(input.path.caseId, for: .recordFollowUp)
        let id = try await Operations.requestReview(req.lifecycle, loaded, timeline, urgency: try body.urgency.term(), reason: body.reason)
        return .created(.init(body: .json(try await Self.summary(of: id, req))))
    }

    func addDutyNote(_ input: APIOperations.AddDutyNote.Input) async throws -> APIOperations.AddDutyNote.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let (loaded, timeline) = try await req.caseTimeline(input.path.caseId, for: .recordFollowUp)
        try await Operations.addDutyNote(req.lifecycle, loaded, timeline, duty: try body.duty.term(), discussionKey: body.discussion,
                                         kind: try body.kind.term(), due: body.due, text: body.text)
        let updated = try await CaseTimeline.load(caseID: input.path.caseId, on: req.db)
        let duties = updated?.duties(pack: loaded.pack, asOf: req.now) ?? []
        return .created(.init(body: .json(.init(items: try duties.map(Schemas.Deadline.init)))))
    }

    func addImmediateProtection(_ input: APIOperations.AddImmediateProtection.Input) async throws
        -> APIOperations.AddImmediateProtection.Output
    {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let (loaded, timeline) = try await req.caseTimeline(input.path.caseId, for: .recordImmediateProtection)
        let id = try await Operations.addImmediateProtection(req.lifecycle, loaded, timeline, try ImmediateProtection(body), at: body.at)
        return .created(.init(body: .json(.init(id: id))))
    }
}
