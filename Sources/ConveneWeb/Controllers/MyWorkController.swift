import ConveneCore
import ConveneStore
import Fluent
import Vapor

/// "My work": what this person must do next.
enum MyWorkController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("my-work", use: show)
    }

    struct Page: Encodable {
        let name: String
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return try await req.page("my-work", title: "My work", Page(name: user.name))
    }
}
