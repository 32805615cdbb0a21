import ConveneCore
import Foundation
import Vapor

/// "Procedures": every procedure pack Convene holds, and each pack's rules in plain words with
/// the requirement each comes from, so chairs and practitioners can see why Convene asks what
/// it asks. Packs hold no personal data; every signed-in person may read them.
enum PacksController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("packs", use: list)
        routes.get("packs", ":pack", use: show)
    }

    struct PackRow: Encodable {
        let name: String
        let authority: String
        let id: String
        let source: String
        let href: String
        let yours: Bool
    }

    struct ListPage: Encodable {
        let rows: [PackRow]
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let own = try await req.organisationPackID(user.organisationID)
        let rows = req.convene.packs.packs.map { pack in
            PackRow(name: pack.name, authority: pack.authority, id: pack.id, source: pack.source,
                    href: SiteURL.pack(pack.id).path, yours: pack.id == own)
        }
        return try await req.page("packs", title: "Procedures", ListPage(rows: rows))
    }

    struct Line: Encodable {
        let title: String
        let detail: String
        let rule: String
        let ruleTitle: String
    }

    struct Section: Encodable {
        let id: String
        let title: String
        let intro: String
        let lines: [Line]
        /// The contents list's link to the section.
        let href: String

        init(_ section: PackDescription.Section) {
            id = section.id
            title = section.title
            intro = section.intro
            lines = section.lines.map { Line(title: $0.title, detail: $0.detail, rule: $0.rule, ruleTitle: $0.ruleTitle) }
            href = "#" + section.id
        }
    }

    struct DetailPage: Encodable {
        let name: String
        let authority: String
        let id: String
        let source: String
        let meetingName: String
        let calendar: String
        let yours: Bool
        let sections: [Section]
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let pack = req.convene.packs.pack(req.parameters.get("pack") ?? "") else { throw Abort(.notFound) }
        let own = try await req.organisationPackID(user.organisationID)
        let page = DetailPage(
            name: pack.name, authority: pack.authority, id: pack.id, source: pack.source,
            meetingName: pack.meetingName.capitalizedFirst, calendar: pack.calendar.region.displayName,
            yours: pack.id == own, sections: PackDescription.sections(pack).map(Section.init))
        return try await req.page("pack", title: pack.name, page, backLink: SiteURL.packs.path)
    }
}
