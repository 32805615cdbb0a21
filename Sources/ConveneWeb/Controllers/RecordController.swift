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

    struct Page: Encodable {
        let reference: String
        let version: Int
        let stage: Display.Tag
        let document: RecordDocument
        let missing: [LayoutContext.ErrorItem]
        let noneMissing: Bool
        let canFinalise: Bool
        let canReopen: Bool
        let canAuthorise: Bool
        let canCirculate: Bool
        let finaliseAction: String
        let reopenAction: String
        let authoriseAction: String
        let circulateAction: String
        let authorisers: String
        let recipients: Int
        let versionsHref: String
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
        let d = loaded.discussion
        let record = try await Operations.recordOverview(req.lifecycle, loaded)
        let page = Page(
            reference: d.reference, version: d.lockVersion, stage: Display.tag(d.stage),
            document: RecordDocument(record.snapshot, pack: loaded.pack, today: EuropeLondon.localDate(of: req.now)),
            missing: record.missing.map { .init(href: link(for: $0, loaded), text: $0.message) },
            noneMissing: record.missing.isEmpty, canFinalise: record.canFinalise, canReopen: record.canReopen,
            canAuthorise: record.canAuthorise, canCirculate: record.canCirculate,
            finaliseAction: SiteURL.discussionPart(loaded.id, .finalise).path,
            reopenAction: SiteURL.discussionPart(loaded.id, .reopen).path,
            authoriseAction: SiteURL.discussionPart(loaded.id, .authorise).path,
            circulateAction: SiteURL.discussionPart(loaded.id, .circulate).path,
            authorisers: record.authorisers, recipients: record.recipients,
            versionsHref: SiteURL.discussionPart(loaded.id, .versions).path)
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("record", title: "Record \(d.reference)", page,
                                  errors: errors.map { InputError(field: $0.field, $0.message) },
                                  notification: errors.isEmpty ? done.map { .success($0) } : nil,
                                  backLink: SiteURL.discussion(loaded.id).path,
                                  errorHref: { link(for: $0, loaded) })
    }

    /// Where a missing item is fixed.
    static func link(for error: InputError, _ loaded: LoadedDiscussion) -> String {
        let path = error.field.description
        let id = loaded.id
        let anchor = "#" + error.field.htmlID
        if path.hasPrefix("attendance") || path.hasPrefix("quoracy") { return SiteURL.discussionPart(id, .attendance).path }
        if path.hasPrefix("checklist") { return SiteURL.discussionPart(id, .checklist).path + anchor }
        if path.hasPrefix("sections") { return SiteURL.discussionPart(id, .agenda).path + anchor }
        if path.hasPrefix("decisions.") {
            let childSlug = path.split(separator: ".")[1]
            if let child = loaded.children.first(where: { $0.id?.slug == String(childSlug) }) {
                return SiteURL.decisionsForChild(id, child.id!).path + anchor
            }
        }
        return SiteURL.discussionPart(id, .actions).path + anchor
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

    struct VersionRow: Encodable {
        let number: Int
        let kind: String
        let by: String
        let at: String
        let sha256: String
        let note: String
        let href: String
    }

    struct VersionsPage: Encodable {
        let reference: String
        let versions: [VersionRow]
        let none: Bool
    }

    @Sendable static func versions(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewRecord)
        let rows = try await RecordBuilder.visibleVersions(loaded, on: req.db)
        let names = try await RecordBuilder.personNames(rows.map(\.createdBy), on: req.db)
        try await req.logView(loaded, detail: "record versions")
        let page = VersionsPage(reference: loaded.discussion.reference, versions: rows.map {
            VersionRow(number: $0.number, kind: $0.kind.rawValue.capitalizedFirst, by: names[$0.createdBy] ?? "",
                       at: $0.createdAt.map { UKDisplay.dateTime($0) } ?? "", sha256: $0.sha256, note: $0.note,
                       href: SiteURL.version(loaded.id, $0.number).path)
        }, none: rows.isEmpty)
        return try await req.page("versions", title: "Record versions", page, backLink: SiteURL.discussion(loaded.id).path)
    }

    struct VersionPage: Encodable {
        let reference: String
        let number: Int
        let kind: String
        let sha256: String
        let document: RecordDocument
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
