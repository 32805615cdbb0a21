import ConveneCore
import ConveneStore
import Foundation

/// The audit trail as auditors search it (issue 5): the entries, the children found by name
/// with links to who viewed or changed their records, and the chain's verification.
public struct AuditPage: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        let seq: Int
        let at: String
        let actor: String
        let action: String
        let object: String
        let reason: String
        let detail: String
        let ip: String
        let flagged: Bool
    }

    let rows: [Row]
    let none: Bool
    let heading: String
    let action: ChoiceContext
    let childName: FieldContext
    let from: DateFieldContext
    let to: DateFieldContext
    let flaggedOnly: ChoiceContext
    let children: [ChildMatch]
    let hasChildren: Bool
    let verification: String
    let previous: String
    let next: String
}

extension AuditPage {
    public init(_ trail: Operations.AuditTrailPage, filter: Operations.AuditFilter, state: FormState, children: [ChildMatch],
                verification: String) {
        let entries = trail.entries
        let heading = filter.child == nil ? "Recent activity"
            : "Who viewed or changed " + (trail.childName.map { $0 + "’s records" } ?? "this child’s records")
        var state = state
        if state.values["action"] == nil { state.values["action"] = filter.action }
        let base = SiteURL.audit.path + "?" + (filter.child.map { "child=\($0.slug)&" } ?? "")
        let number = filter.page.number
        self.init(
            rows: entries.map {
                Row(seq: $0.seq, at: UKDisplay.compact($0.at), actor: $0.actorName, action: $0.action, object: trail.objects[$0.seq] ?? "",
                    reason: $0.reason, detail: $0.detail, ip: $0.ip, flagged: $0.flagged)
            },
            none: entries.isEmpty, heading: heading,
            action: state.radios("action", "Action", options: Self.actions.map { ($0, $0.isEmpty ? "Any action" : $0) }),
            childName: state.field("childName", "Child’s name", hint: "Find who viewed or changed a child’s records").with(width: "20"),
            from: state.date("from", "From"), to: state.date("to", "To (inclusive)"),
            flaggedOnly: state.checkboxes("flagged", "Flagged", options: [("yes", "Only break-glass access, flagged for review")]),
            children: children, hasChildren: !children.isEmpty, verification: verification,
            previous: number > 1 && filter.child != nil ? base + "page=\(number - 1)" : "",
            next: entries.count == Self.pageSize && filter.child != nil ? base + "page=\(number + 1)" : "")
    }

    public static let pageSize = 50
    static let actions = [""] + Operations.AuditFilter.searchableActions

    /// A child found by name, linking to the trail of their records.
    public struct ChildMatch: Encodable, Sendable {
        let name: String
        let born: String
        let reference: String
        let href: String

        public init(child: CaseChild, reference: String) {
            name = child.name
            born = child.dateOfBirth.flatMap(LocalDate.init).map { UKDisplay.date($0) } ?? ""
            self.reference = reference
            href = SiteURL.audit.path + "?child=\(child.id!.slug)"
        }
    }
}
