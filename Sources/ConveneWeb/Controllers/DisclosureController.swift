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

    struct RequestRow: Encodable {
        let reference: String
        let requester: String
        let purpose: String
        let days: Int
        let status: String
        let decision: String
        let created: String
        let action: String
        let pending: Bool
        var form: DecisionForm
    }

    struct GrantRow: Encodable {
        let reference: String
        let person: String
        let purpose: String
        let period: String
        let action: String
        let href: String
    }

    struct ListPage: Encodable {
        let isManager: Bool
        let canBreakGlass: Bool
        let requests: [RequestRow]
        let noRequests: Bool
        let grants: [GrantRow]
        let noGrants: Bool
        let newHref: String
        let reference: FieldContext
        let reason: FieldContext
    }

    @Sendable static func list(req: Request) async throws -> Response {
        try await renderList(req, state: FormState(), errors: [])
    }

    /// The list; after a refused decision or break-glass read, with each error on its field.
    static func renderList(_ req: Request, state: FormState, errors: [InputError], decided: UUID? = nil) async throws -> Response {
        let list = try await Operations.disclosures(req.lifecycle)
        let (requests, grants, names, isManager) = (list.requests, list.grants, list.names, list.isManager)
        func reference(_ id: UUID) -> String { list.references[id] ?? "" }
        let page = ListPage(
            isManager: isManager, canBreakGlass: list.canBreakGlass,
            requests: requests.map { r in
                var row = RequestRow(reference: reference(r.discussionID), requester: names[r.requesterID] ?? "", purpose: r.purpose,
                                     days: r.days, status: r.status.rawValue.capitalizedFirst, decision: r.decisionReason,
                                     created: r.createdAt.map { UKDisplay.compact($0) } ?? "", action: SiteURL.disclosure(r.id!).path,
                                     pending: r.status == .pending && isManager,
                                     form: DecisionForm(decisionName: "decision", reasonName: "reason",
                                                        decisionID: "decision-" + r.id!.slug, reasonID: "reason-" + r.id!.slug,
                                                        choices: [("grant", "Grant"), ("refuse", "Refuse")], reasonLabel: "Reason"))
                if r.id == decided { row.form = row.form.filled(from: state) }
                return row
            },
            noRequests: requests.isEmpty,
            grants: grants.map { g in
                GrantRow(reference: reference(g.discussionID), person: names[g.personID] ?? "", purpose: g.purpose,
                         period: UKDisplay.compact(g.startsAt) + " to " + UKDisplay.compact(g.expiresAt),
                         action: SiteURL.grant(g.id!).path + "/review", href: SiteURL.discussion(g.discussionID).path)
            },
            noGrants: grants.isEmpty, newHref: SiteURL.disclosures.path + "/new",
            reference: (decided == nil ? state : FormState()).field("reference", "Discussion reference", hint: "For example, SD-2026-00042/1").with(width: "20"),
            reason: (decided == nil ? state : FormState()).field("reason", "Why you need to read it now"))
        return try await req.page("disclosures", title: "Disclosure requests", page, errors: errors,
                                  status: errors.isEmpty ? nil : .badRequest)
    }

    struct NewPage: Encodable {
        let reference: FieldContext
        let purpose: FieldContext
        let days: FieldContext
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try await renderNew(req, state: FormState(values: ["days": "14"]))
    }

    static func renderNew(_ req: Request, state: FormState, errors: [InputError] = []) async throws -> Response {
        try Operations.requireDisclosureRequester(req.lifecycle)
        let page = NewPage(
            reference: state.field("reference", "Discussion reference", hint: "For example, SD-2026-00042/1").with(width: "20"),
            purpose: state.field("purpose", "Why you need the minutes", hint: "For example, a court report, or a child protection conference").with(rows: 3),
            days: state.field("days", "For how many days", hint: "From 1 to 90").with(width: "2"))
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
