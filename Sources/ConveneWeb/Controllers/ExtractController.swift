import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// REQ-002-01: the extract behind a teleconference request's personal link ("password
/// protected"): it opens only with the access code sent in a separate message; after five
/// wrong codes the link is locked. Nothing is shown before the code is given.
enum ExtractController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("extract", ":token", use: show)
        routes.post("extract", ":token", use: open)
    }

    static func render(_ req: Request, valid: Bool, state: FormState, errors: [InputError] = [], title: String = "",
                       sections: [ExtractSection] = []) async throws -> Response {
        let page = ExtractPage(action: req.url.path, valid: valid, state: state, title: title, sections: sections)
        return try await req.page("extract", title: sections.isEmpty ? "Open the request" : title, page, errors: errors,
                                  status: valid ? (errors.isEmpty ? .ok : .badRequest) : .notFound)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        try await render(req, valid: Operations.extractLinkUsable(req.lifecycle, token: req.parameters.get("token") ?? ""),
                         state: FormState())
    }

    @Sendable static func open(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard try await Operations.extractLinkUsable(req.lifecycle, token: token) else {
            return try await render(req, valid: false, state: FormState())
        }
        let form = try FormData(req)
        switch try await Operations.openExtract(req.lifecycle, token: token, code: form["code"]) {
        case .unusable:
            return try await render(req, valid: false, state: FormState())
        case let .wrongCode(error, usable):
            return try await render(req, valid: usable, state: FormState(form: form, errors: [error]), errors: [error])
        case let .opened(title, sections):
            return try await render(req, valid: true, state: FormState(), title: title, sections: sections)
        }
    }
}
