import ConveneAPI
import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// The record: read it with what is missing, finalise, reopen, authorise (REC-ALL-01),
/// circulate to the invitees only (REC-ALL-02), and every kept version (REC-002-02).
extension APIHandler {
    func getRecord(_ input: APIOperations.GetRecord.Input) async throws -> APIOperations.GetRecord.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .viewRecord)
        guard loaded.readsWorkingRecord else {
            // Invitees read the authorised minutes, not the working record.
            throw Abort(.forbidden, reason: "Invitees read the authorised minutes: GET /api/v1/discussions/{id}/minutes.")
        }
        try await Self.auditView(loaded, "record", req)
        let record = try await Operations.recordOverview(req.lifecycle, loaded)
        return .ok(.init(body: .json(try Schemas.RecordView(loaded, snapshot: record.snapshot, missing: record.missing,
                                                            discussion: loaded.discussion))))
    }

    static func recordChange(_ id: UUID, version: Int?, _ req: Request) async throws -> Schemas.RecordChange {
        .init(discussion: try await summary(of: id, req), recordVersion: version)
    }

    func finaliseRecord(_ input: APIOperations.FinaliseRecord.Input) async throws -> APIOperations.FinaliseRecord.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .finaliseRecord)
        let number = try await Operations.finalise(req.lifecycle, loaded, expectedVersion: Self.expectedVersion(input.body))
        return .ok(.init(body: .json(try await Self.recordChange(loaded.id, version: number, req))))
    }

    func reopenRecord(_ input: APIOperations.ReopenRecord.Input) async throws -> APIOperations.ReopenRecord.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .finaliseRecord)
        try await Operations.reopen(req.lifecycle, loaded, expectedVersion: Self.expectedVersion(input.body))
        return .ok(.init(body: .json(try await Self.recordChange(loaded.id, version: nil, req))))
    }

    func authoriseRecord(_ input: APIOperations.AuthoriseRecord.Input) async throws -> APIOperations.AuthoriseRecord.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .authoriseRecord)
        let number = try await Operations.authorise(req.lifecycle, loaded, expectedVersion: Self.expectedVersion(input.body))
        return .ok(.init(body: .json(try await Self.recordChange(loaded.id, version: number, req))))
    }

    func circulateRecord(_ input: APIOperations.CirculateRecord.Input) async throws -> APIOperations.CirculateRecord.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .circulateRecord)
        try await Operations.circulate(req.lifecycle, loaded, expectedVersion: Self.expectedVersion(input.body))
        let circulated = try await Discussion.find(loaded.id, on: req.db)?.recordVersion
        return .ok(.init(body: .json(try await Self.recordChange(loaded.id, version: circulated, req))))
    }

    /// The `{"expectedVersion": n}` body of the record steps (required: ASVS-5.0-2.3.3, no
    /// silent overwrite).
    static func expectedVersion(_ body: Components.RequestBodies.VersionCheck) -> Int {
        switch body {
        case let .json(check): check.expectedVersion
        }
    }

    func listRecordVersions(_ input: APIOperations.ListRecordVersions.Input) async throws
        -> APIOperations.ListRecordVersions.Output
    {
        let req = try APIContext.current()
        let page = try PageRequest(page: input.query.page, per: input.query.per)
        let loaded = try await req.discussion(input.path.discussionId, for: .viewRecord)
        try await Self.auditView(loaded, "record versions", req)
        let visible = try await RecordBuilder.visibleVersions(loaded, on: req.db)
        let total = visible.count
        let rows = page.slice(visible)
        return .ok(.init(body: .json(.init(items: try rows.map(Schemas.RecordVersionInfo.init), pagination: page.info(total: total)))))
    }

    func getRecordVersion(_ input: APIOperations.GetRecordVersion.Input) async throws -> APIOperations.GetRecordVersion.Output {
        let req = try APIContext.current()
        let loaded = try await req.discussion(input.path.discussionId, for: .viewRecord)
        let number = input.path.number
        let row = try await RecordBuilder.version(number, of: loaded, on: req.db)
        try await Self.auditView(loaded, "record version \(number)", req)
        return .ok(.init(body: .json(.init(version: try Schemas.RecordVersionInfo(row),
                                           snapshot: try Schemas.RecordSnapshot(row.snapshot, discussionID: loaded.id)))))
    }
}
