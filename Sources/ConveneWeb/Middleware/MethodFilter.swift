import Vapor

/// Methods Convene never answers are refused as such (405 with `Allow`), not as a missing page:
/// TRACE and TRACK could echo headers back (cross-site tracing), CONNECT asks for a proxy.
struct MethodFilter: AsyncMiddleware {
    static let refused: Set<String> = ["TRACE", "TRACK", "CONNECT"]

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard Self.refused.contains(req.method.rawValue.uppercased()) else {
            return try await next.respond(to: req)
        }
        let response = Response(status: .methodNotAllowed)
        response.headers.replaceOrAdd(name: .allow, value: "GET, HEAD, POST, PUT, DELETE")
        return response
    }
}
