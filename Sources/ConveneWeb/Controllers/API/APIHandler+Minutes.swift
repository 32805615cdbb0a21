import ConveneAPI
import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// The invitees' side: the authorised minutes (REC-ALL-01, REC-ALL-02), corrections within the
/// pack's window (REC-001-01) and the chair's decisions on them (REC-002-02).
extension APIHandler {
    func getMinutes(_ input: APIOperations.GetMinutes.Input) async throws -> APIOperations.GetMinutes.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .viewDiscussion)
        let minutes = try await Operations.readMinutes(req.lifecycle, loaded)
        guard let version = minutes.version else {
            try await Self.auditView(loaded, "minutes not yet released", req)
            return .ok(.init(body: .json(.init(released: false, canCorrect: false))))
        }
        try await Self.auditView(loaded, "minutes version \(version.number)", req)
        return .ok(.init(body: .json(.init(
            released: true, version: version.number,
            snapshot: try Schemas.RecordSnapshot(version.snapshot, discussionID: loaded.id),
            canCorrect: minutes.canCorrect, correctionsUntil: minutes.correctionsUntil))))
    }

    func listCorrections(_ input: APIOperations.ListCorrections.Input) async throws -> APIOperations.ListCorrections.Output {
        let req = try APIContext.current()
        let page = try PageRequest(page: input.query.page, per: input.query.per)
        let loaded = try await req.discussion(input.path.discussionId, for: .decideCorrection)
        try await Self.auditView(loaded, "corrections", req)
        let (rows, total) = try await Operations.corrections(req.lifecycle, loaded, range: page.range)
        return .ok(.init(body: .json(.init(items: try rows.map(Schemas.Correction.init), pagination: page.info(total: total)))))
    }

    func submitCorrection(_ input: APIOperations.SubmitCorrection.Input) async throws -> APIOperations.SubmitCorrection.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .submitCorrection)
        let id = try await Operations.submitCorrection(req.lifecycle, loaded, section: body.section ?? "", text: body.text)
        guard let correction = try await Correction.find(id, on: req.db) else { throw Abort(.notFound) }
        return .created(.init(body: .json(try Schemas.Correction(correction))))
    }

    func decideCorrection(_ input: APIOperations.DecideCorrection.Input) async throws -> APIOperations.DecideCorrection.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let loaded = try await req.discussion(input.path.discussionId, for: .decideCorrection)
        let id = input.path.correctionId
        // The corrections page names these fields per correction; this body has one of each.
        let rename = APIFieldNames.table(["decision." + id.slug: "accept", "reason." + id.slug: "reason"])
        try await APIFieldNames.renaming(rename) {
            try await Operations.decideCorrection(req.lifecycle, loaded, correctionID: id, accept: body.accept, reason: body.reason ?? "")
        }
        guard let correction = try await Correction.find(id, on: req.db) else { throw Abort(.notFound) }
        return .ok(.init(body: .json(try Schemas.Correction(correction))))
    }
}
