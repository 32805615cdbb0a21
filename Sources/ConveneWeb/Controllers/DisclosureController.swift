import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Disclosure control (REC-ALL-02, REC-002-02): someone outside a discussion asks to see its
/// minutes; a service manager decides, with reasons recorded, and access is granted for a
/// stated purpose and period. Managers may take a break-glass read, which needs a reason, is
/// flagged in the audit trail and is listed for review.
enum DisclosureController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("disclosures", use: list)
        routes.get("disclosures", "new", use: new)
        routes.post("disclosures", use: create)
        routes.post("disclosures", ":request", use: decide)
        routes.post("break-glass", use: breakGlass)
        routes.post("grants", ":grant", "review", use: review)
        routes.get("discussions", ":id", "export", use: export)
    }

    @Sendable static func list(req: Request) async throws -> Response {
        try await renderList(req, state: FormState(), errors: [])
    }

    /// The list; after a refused decision or break-glass read, with each error on its field.
    static func renderList(_ req: Request, state: FormState, errors: [InputError], decided: UUID? = nil) async throws -> Response {
        let list = try await Operations.disclosures(req.lifecycle)
        let page = DisclosuresPage(list, state: state, decided: decided)
        return try await req.page("disclosures", title: "Disclosure requests", page, errors: errors,
                                  status: errors.isEmpty ? nil : .badRequest)
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try await renderNew(req, state: FormState(values: ["days": "14"]))
    }

    static func renderNew(_ req: Request, state: FormState, errors: [InputError] = []) async throws -> Response {
        try Operations.requireDisclosureRequester(req.lifecycle)
        let page = DisclosureRequestPage(state: state)
        return try await req.page("disclosure-new", title: "Ask to see the minutes", page, errors: errors,
                                  backLink: SiteURL.disclosures.path)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let form = try FormData(req)
        do {
            try await Operations.requestDisclosure(req.lifecycle, reference: form["reference"], purpose: form["purpose"],
                                                   days: Int(form["days"].trimmed))
        } catch let failure as ValidationFailure {
            return try await renderNew(req, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.disclosures.path)
    }

    /// A service manager grants access for the stated purpose and period, or refuses, with reasons.
    @Sendable static func decide(req: Request) async throws -> Response {
        let form = try FormData(req)
        let id = try req.uuid("request")
        let decision = form["decision"]
        do {
            try await Operations.decideDisclosure(req.lifecycle, requestID: id,
                                                  grant: decision == "grant" ? true : (decision == "refuse" ? false : nil),
                                                  reason: form["reason"])
        } catch let failure as ValidationFailure {
            return try await renderList(req, state: FormState(form: form, errors: failure.errors), errors: failure.errors, decided: id)
        }
        return req.redirect(to: SiteURL.disclosures.path)
    }

    /// A manager reads a discussion outside their team now, giving a reason; flagged for review.
    @Sendable static func breakGlass(req: Request) async throws -> Response {
        let form = try FormData(req)
        do {
            let id = try await Operations.breakGlass(req.lifecycle, reference: form["reference"], reason: form["reason"])
            return req.redirect(to: SiteURL.discussion(id).path)
        } catch let failure as ValidationFailure {
            return try await renderList(req, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
    }

    @Sendable static func review(req: Request) async throws -> Response {
        let form = try FormData(req)
        try await Operations.reviewBreakGlass(req.lifecycle, grantID: try req.uuid("grant"), note: form["note"])
        return req.redirect(to: SiteURL.disclosures.path)
    }

    /// The record as JSON, with its versions' digests, for court bundles; always audited.
    @Sendable static func export(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .exportRecord)
        let export = try await Operations.exportRecord(req.lifecycle, loaded)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let response = Response(status: .ok, body: .init(data: try encoder.encode(export)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"\(loaded.discussion.reference.replacingOccurrences(of: "/", with: "-")).json\"")
        return response
    }
}
