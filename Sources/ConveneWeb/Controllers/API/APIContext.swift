import OpenAPIRuntime
import Vapor

/// The Vapor request of the API call being handled. The generated handlers receive only typed
/// input, so `APIRequestBinding` binds the request to this task-local value for the duration
/// of the call (the request-injection pattern of swift-openapi-vapor's documentation).
enum APIContext {
    @TaskLocal static var request: Request?

    static func current() throws -> Request {
        guard let request else {
            // Only reachable if a handler is registered without `APIRequestBinding`.
            throw Abort(.internalServerError, reason: "The API request was not bound.")
        }
        return request
    }

    /// The raw JSON body, for the engine calls that read it with the command line's decoder.
    static func body() throws -> Data {
        let request = try current()
        return request.body.data.map { Data(buffer: $0) } ?? Data()
    }
}

/// Wraps every `/api/v1` call: collects the body within the site's size limit, binds the
/// request for the handlers, and turns the generated code's errors into the problems the
/// `ErrorHandling` middleware renders.
struct APIRequestBinding: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // VaporTransport streams bodies and the runtime would collect them without a limit:
        // collect here, refusing anything over the site's limit with 413.
        if req.body.data == nil {
            _ = try await req.body.collect(max: req.application.routes.defaultMaxBodySize.value).get()
        }
        do {
            return try await APIContext.$request.withValue(req) {
                try await next.respond(to: req)
            }
        } catch let error as ServerError {
            throw APIErrorMapping.unwrap(error, req)
        }
    }
}
