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

    @Sendable static func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let own = try await req.organisationPackID(user.organisationID)
        return try await req.page("packs", title: "Procedures", PacksPage(req.convene.packs, own: own))
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let pack = req.convene.packs.pack(req.parameters.get("pack") ?? "") else { throw Abort(.notFound) }
        let own = try await req.organisationPackID(user.organisationID)
        let page = PackPage(pack, own: own)
        return try await req.page("pack", title: pack.name, page, backLink: SiteURL.packs.path)
    }
}
