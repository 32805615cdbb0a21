import ConveneCore
import ConveneLifecycle
import ConveneStore
import Foundation
import Vapor

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
        case let lifecycle as LifecycleError:
            switch lifecycle {
            case .notSignedIn:
                status = .unauthorized
                detail = lifecycle.description
            case let .tooManyAttempts(message):
                status = .tooManyRequests
                detail = message
            case let .notFound(reason):
                status = .notFound
                detail = reason ?? status.reasonPhrase
            case let .notAllowed(reason):
                status = .forbidden
                detail = reason ?? status.reasonPhrase
            case let .refused(canSee, reason):
                // The access check audited this refusal already.
                req.storage[AccessDeniedAudited.self] = true
                status = canSee ? .forbidden : .notFound
                detail = reason ?? status.reasonPhrase
            case let .conflict(message, field):
                status = .conflict
                detail = message
                fields = field.map { [InputError(field: $0, message)] } ?? []
            }
        case let integrity as IntegrityError:
            // Alarmed: a critical log line for the operators and a flagged entry for the auditors.
            req.logger.critical("INTEGRITY FAILURE on \(req.method) \(req.url.path): \(integrity.description)")
            try? await req.db.audit([AuditRecord("integrity-failure", "record", reason: integrity.description,
                                                 detail: "\(req.method) \(req.url.path)", flagged: true)], by: req.actor, now: req.now)
            status = .internalServerError
            heading = "This record cannot be shown"
            detail = "It failed its integrity check, so it is not shown as authentic. The administrators have been told."
            return await respond(status: status, detail: detail, heading: heading, fields: [], req)
        case let abort as any AbortError:
            status = abort.status
            detail = abort.status == .internalServerError ? detail : abort.reason
        default:
            break
        }
        return await respond(status: status, detail: detail, heading: heading, fields: fields, error: error, req)
    }

    func respond(status: HTTPResponseStatus, detail: String, heading: String?, fields: [InputError], error: (any Error)? = nil,
                 _ req: Request) async -> Response {
        var detail = detail
        if status == .internalServerError, let error {
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
