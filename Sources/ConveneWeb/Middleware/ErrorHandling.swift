import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// Thrown when someone else changed the thing being saved since it was read (optimistic
/// locking): the second writer is told, never silently overwritten.
public struct ConflictError: Error, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// Turns every error into a response a person can act on: an error page for the site, RFC 9457
/// problem details for the API (naming the fields). No stack trace, SQL or internal detail
/// ever reaches a response (ASVS-5.0-16.5.1); unexpected errors are logged with an id.
struct ErrorHandling: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return await response(for: error, req)
        }
    }

    struct Problem: Content {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var errors: [FieldProblem]?
        var instance: String?
    }

    struct FieldProblem: Content {
        var field: String
        var message: String
    }

    func response(for error: any Error, _ req: Request) async -> Response {
        var status = HTTPResponseStatus.internalServerError
        var detail = "Sorry, there is a problem with the service. Try again later."
        var fields: [InputError] = []
        var heading: String? = nil
        switch error {
        case let failure as ValidationFailure:
            status = .badRequest
            detail = "Check the fields named in errors."
            fields = failure.errors
        case let input as InputError:
            status = .badRequest
            detail = input.description
            fields = [input]
        case let decoding as DecodingError:
            status = .badRequest
            let input = InputError(decoding)
            detail = input.description
            fields = [input]
        case let stage as StageError:
            status = .conflict
            detail = stage.description
            heading = "You cannot do that at this stage"
        case let conflict as ConflictError:
            status = .conflict
            detail = conflict.message
        case let abort as any AbortError:
            status = abort.status
            detail = abort.status == .internalServerError ? detail : abort.reason
        default:
            break
        }
        if status == .internalServerError {
            let id = UUID().uuidString.prefix(8)
            req.logger.report(error: error)
            req.logger.error("error \(id) on \(req.method) \(req.url.path): \(String(reflecting: error))")
            detail += " (Error \(id).)"
        }
        if status == .forbidden, req.currentUser != nil, req.storage[AccessDeniedAudited.self] == nil {
            // A refusal the route did not audit itself (a function-level check): record it,
            // naming the person and the route (ASVS-5.0-16.3.2).
            try? await req.db.audit([AuditRecord("access-denied", "route", reason: detail,
                                                 detail: "\(req.method) \(req.url.path)")], by: req.actor, now: req.now)
        }
        if status == .unauthorized && !req.isAPI {
            let next = req.method == .GET ? "?next=" + (req.url.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/") : ""
            return req.redirect(to: SiteURL.signIn.path + next)
        }
        if req.isAPI {
            let problem = Problem(
                type: "about:blank", title: status.reasonPhrase, status: Int(status.code), detail: detail,
                errors: fields.isEmpty ? nil : fields.map { FieldProblem(field: $0.field.description, message: $0.message) },
                instance: req.url.path)
            let response = Response(status: status)
            // Vapor has no encoder registered for application/problem+json: encode as JSON, then
            // label the body with the problem type.
            if let body = try? JSONEncoder().encode(problem) {
                response.body = .init(data: body)
            }
            response.headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
            if status == .unauthorized {
                response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
            }
            return response
        }
        return await ErrorPage.render(status: status, detail: detail, heading: heading, req)
    }
}

/// Set once a refusal has been written to the audit trail, so it is not written twice.
struct AccessDeniedAudited: StorageKey {
    typealias Value = Bool
}
