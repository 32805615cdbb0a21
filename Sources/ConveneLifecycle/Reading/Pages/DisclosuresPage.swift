import ConveneCore
import ConveneStore
import Foundation

/// Disclosure control (REC-ALL-02, REC-002-02) as its list shows it: the requests to see
/// minutes (each with a service manager's grant-or-refuse form), the break-glass reads awaiting
/// review, and the form for a break-glass read.
public struct DisclosuresPage: Encodable, Sendable {
    struct RequestRow: Encodable, Sendable {
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

    struct GrantRow: Encodable, Sendable {
        let reference: String
        let person: String
        let purpose: String
        let period: String
        let action: String
        let href: String
    }

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

extension DisclosuresPage {
    /// The list; after a refused decision (`decided`) or break-glass read, with each error on its field.
    public init(_ list: Operations.Disclosures, state: FormState, decided: UUID?) {
        let (requests, grants, names, isManager) = (list.requests, list.grants, list.names, list.isManager)
        func reference(_ id: UUID) -> String { list.references[id] ?? "" }
        self.init(
            isManager: isManager, canBreakGlass: list.canBreakGlass,
            requests: requests.map { r in
                var row = RequestRow(reference: reference(r.discussionID), requester: names[r.requesterID] ?? "", purpose: r.purpose,
                                     days: r.days, status: r.status.rawValue.capitalizedFirst, decision: r.decisionReason,
                                     created: r.createdAt.map { UKDisplay.compact($0) } ?? "", action: SiteURL.disclosure(r.id!).path,
                                     pending: r.status == .pending && isManager,
                                     form: DecisionForm(decisionName: "decision", reasonName: "reason",
                                                        decisionID: "decision-" + r.id!.slug, reasonID: "reason-" + r.id!.slug,
                                                        choices: [("grant", "Grant"), ("refuse", "Refuse")], reasonLabel: "Your reason for granting or refusing"))
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
    }
}

/// The form asking to see a discussion's minutes, for a purpose and a period.
public struct DisclosureRequestPage: Encodable, Sendable {
    let reference: FieldContext
    let purpose: FieldContext
    let days: FieldContext
}

extension DisclosureRequestPage {
    public init(state: FormState) {
        self.init(
            reference: state.field("reference", "Discussion reference", hint: "For example, SD-2026-00042/1").with(width: "20"),
            purpose: state.field("purpose", "Why you need the minutes", hint: "For example, a court report, or a child protection conference").with(rows: 3),
            days: state.field("days", "For how many days", hint: "From 1 to 90").with(width: "2"))
    }
}
