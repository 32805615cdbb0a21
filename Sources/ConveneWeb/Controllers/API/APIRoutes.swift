import ConveneAPI
import OpenAPIRuntime
import OpenAPIVapor
import Vapor

/// Registers the JSON API: the handlers generated from `Sources/ConveneAPI/openapi.yaml`,
/// under `/api/v1`, each call bound to its Vapor request.
enum APIRoutes {
    static let prefix: [PathComponent] = ["api", "v1"]

    static func register(_ app: Application) throws {
        let document = try OpenAPIDocumentJSON.load()
        let routes = app.grouped(prefix).grouped(APIRequestBinding())
        let transport = VaporTransport(routesBuilder: routes)
        try APIHandler(document: document).registerHandlers(on: transport, configuration: .init(dateTranscoder: APIDateTranscoder()))
    }
}
