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
            let response = try await APIContext.$request.withValue(req) {
                try await next.respond(to: req)
            }
            try await LowercaseIDs.apply(to: response, req)
            return response
        } catch let error as ServerError {
            throw APIErrorMapping.unwrap(error, req)
        }
    }
}

/// Ids are written in lower case everywhere (paths, pages, the document's examples), but the
/// generated code encodes `UUID` with Foundation's upper-case `uuidString`. This rewrites every
/// JSON string value that is exactly a UUID to lower case. Hand-written: no listed library
/// offers a hook into the generated encoder.
enum LowercaseIDs {
    static func apply(to response: Response, _ req: Request) async throws {
        // The transport streams bodies; API answers are small (lists are paginated), so collect.
        guard response.headers.contentType?.subType.hasSuffix("json") == true,
              var buffer = try await response.body.collect(on: req.eventLoop).get(),
              let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        let rewritten = lowercased(bytes)
        response.body = .init(buffer: ByteBuffer(bytes: rewritten))
    }

    /// `"0D8F…"` (a quoted 8-4-4-4-12 hexadecimal string) becomes `"0d8f…"`; nothing else changes.
    static func lowercased(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        let quote = UInt8(ascii: "\""), dash = UInt8(ascii: "-")
        var i = 0
        while i + 37 < bytes.count {
            if bytes[i] == quote && bytes[i + 37] == quote && isUUID(bytes[(i + 1)...(i + 36)], dash: dash) {
                for j in (i + 1)...(i + 36) where (0x41...0x46).contains(bytes[j]) { bytes[j] += 0x20 }
                i += 38
            } else {
                i += 1
            }
        }
        return bytes
    }

    static func isUUID(_ s: ArraySlice<UInt8>, dash: UInt8) -> Bool {
        for (offset, c) in s.enumerated() {
            if [8, 13, 18, 23].contains(offset) {
                if c != dash { return false }
            } else if !((0x30...0x39).contains(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c)) {
                return false
            }
        }
        return true
    }
}
