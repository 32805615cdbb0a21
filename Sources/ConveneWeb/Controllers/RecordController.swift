import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 7: the record. It cannot be finalised while anything required is missing (a clear
/// list); the chair finalises, a social care manager authorises (REC-ALL-01), and it is
/// circulated to the invitees only. Every version is kept (REC-002-02).
enum RecordController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "record", use: show)
        routes.post("discussions", ":id", "finalise", use: finalise)
        routes.post("discussions", ":id", "reopen", use: reopen)
        routes.post("discussions", ":id", "authorise", use: authorise)
        routes.post("discussions", ":id", "circulate", use: circulate)
        routes.get("discussions", ":id", "versions", use: versions)
        routes.get("discussions", ":id", "versions", ":number", use: version)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewRecord)
        return try await showWithErrors(req, loaded, [])
    }

    static func showWithErrors(_ req: Request, _ loaded: LoadedDiscussion, _ errors: [InputError]) async throws -> Response {
        guard loaded.readsWorkingRecord else {
            // Invitees read the authorised minutes, not the working record.
            return req.redirect(to: SiteURL.discussionPart(loaded.id, .minutes).path)
        }
        try await req.logView(loaded, detail: "record")
        let record = try await Operations.recordOverview(req.lifecycle, loaded)
        let page = RecordPage(loaded, record, today: EuropeLondon.localDate(of: req.now))
        let d = loaded.discussion
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("record", title: "Record \(d.reference)", page,
                                  errors: errors.map { InputError(field: $0.field, $0.message) },
                                  notification: errors.isEmpty ? done.map { .success($0) } : nil,
                                  backLink: SiteURL.discussion(loaded.id).path,
                                  errorHref: { RecordPage.link(for: $0, loaded) })
    }

    @Sendable static func finalise(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .finaliseRecord)
        let form = try FormData(req)
        do {
            _ = try await Operations.finalise(req.lifecycle, loaded, expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await showWithErrors(req, loaded, failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .record).path + "?done=finalised")
    }

    @Sendable static func reopen(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .finaliseRecord)
        let form = try FormData(req)
        do {
            _ = try await Operations.reopen(req.lifecycle, loaded, expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await showWithErrors(req, loaded, failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .record).path + "?done=reopened")
    }

    @Sendable static func authorise(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .authoriseRecord)
        let form = try FormData(req)
        do {
            _ = try await Operations.authorise(req.lifecycle, loaded, expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await showWithErrors(req, loaded, failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .record).path + "?done=authorised")
    }

    @Sendable static func circulate(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .circulateRecord)
        let form = try FormData(req)
        do {
            _ = try await Operations.circulate(req.lifecycle, loaded, expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await showWithErrors(req, loaded, failure.errors)
        }
        return req.redirect(to: SiteURL.discussionPart(loaded.id, .record).path + "?done=circulated")
    }

    @Sendable static func versions(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewRecord)
        let rows = try await RecordBuilder.visibleVersions(loaded, on: req.db)
        let names = try await RecordBuilder.personNames(rows.map(\.createdBy), on: req.db)
        try await req.logView(loaded, detail: "record versions")
        let page = VersionsPage(loaded, rows, names: names)
        return try await req.page("versions", title: "Record versions", page, backLink: SiteURL.discussion(loaded.id).path)
    }

    @Sendable static func version(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewRecord)
        guard let number = req.parameters.get("number", as: Int.self) else { throw Abort(.notFound) }
        let row = try await RecordBuilder.version(number, of: loaded, on: req.db)
        try await req.logView(loaded, detail: "record version \(number)")
        let page = VersionPage(reference: loaded.discussion.reference, number: number, kind: row.kind.rawValue, sha256: row.sha256,
                               document: RecordDocument(row.snapshot, pack: loaded.pack, today: EuropeLondon.localDate(of: req.now)))
        return try await req.page("version", title: "Version \(number)", page,
                                  backLink: SiteURL.discussionPart(loaded.id, .versions).path)
    }
}
