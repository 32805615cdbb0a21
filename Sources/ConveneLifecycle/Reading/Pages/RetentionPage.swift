import ConveneCore
import ConveneStore
import Foundation

/// The authority's retention periods and what is due for deletion under them.
public struct RetentionPage: Encodable, Sendable {
    struct RetentionRow: Encodable, Sendable {
        let reference: String
        let reason: String
    }

    let recordsUntilAge: FieldContext
    let auditYears: FieldContext
    let notConvenedYears: FieldContext
    let due: [RetentionRow]
    let dueCount: Int
    let auditDue: Int
    let none: Bool
}

extension RetentionPage {
    public init(_ org: Organisation, _ report: RetentionReport, state: FormState?) {
        var values = state ?? FormState()
        if state == nil {
            values.values["recordsUntilAge"] = String(org.retention.recordsUntilAge)
            values.values["auditYears"] = String(org.retention.auditYears)
            values.values["notConvenedYears"] = String(org.retention.notConvenedYears)
        }
        self.init(
            recordsUntilAge: values.field("recordsUntilAge", "Keep discussion records until the youngest child is this old").with(width: "2"),
            auditYears: values.field("auditYears", "Keep the audit trail for this many years").with(width: "2"),
            notConvenedYears: values.field("notConvenedYears", "Keep requests never convened for this many years").with(width: "2"),
            due: report.cases.prefix(100).map { RetentionRow(reference: $0.reference, reason: $0.reason) },
            dueCount: report.cases.count, auditDue: report.auditEntries, none: report.cases.isEmpty)
    }
}
