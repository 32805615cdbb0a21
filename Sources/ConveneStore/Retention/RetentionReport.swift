import ConveneCore
import FluentKit
import Foundation

/// What the retention policy says may now be reviewed for deletion: a dry run only. Convene
/// never deletes records silently (issue 5); a deletion would be a separate, audited decision.
public struct RetentionReport: Sendable {
    public struct Item: Sendable {
        public let caseID: UUID
        public let reference: String
        public let reason: String
    }

    public let cases: [Item]
    public let auditEntries: Int

    public static func build(organisation: Organisation, now: Date, on db: any Database) async throws -> RetentionReport {
        let policy = organisation.retention
        let orgID = try organisation.requireID()
        let today = EuropeLondon.localDate(of: now)
        let cases = try await Case.query(on: db).filter(\.$organisation.$id == orgID).sort(\.$createdAt).all()
        var items: [Item] = []
        for chunk in stride(from: 0, to: cases.count, by: 500) {
            let slice = Array(cases[chunk..<min(chunk + 500, cases.count)])
            let ids = slice.compactMap(\.id)
            let children = try await CaseChild.query(on: db).filter(\.$case.$id ~~ ids).all()
            let discussions = try await Discussion.query(on: db).filter(\.$case.$id ~~ ids).all()
            for caseRecord in slice {
                let id = caseRecord.id!
                let own = discussions.filter { $0.$case.id == id }
                if !own.isEmpty && own.allSatisfy({ !$0.stage.isOpen }) {
                    let last = own.map(\.requestedAt).max() ?? caseRecord.concernReceivedAt
                    let until = EuropeLondon.localDate(of: last).addingYears(policy.notConvenedYears)
                    if until <= today {
                        items.append(Item(caseID: id, reference: caseRecord.reference,
                                          reason: "Never convened; kept \(policy.notConvenedYears) years to \(UKDisplay.date(until))"))
                    }
                    continue
                }
                // Kept until the youngest child reaches the age; an unborn child counts from the due date.
                let births = children.filter { $0.$case.id == id }.compactMap { $0.details.dateOfBirth ?? $0.details.expectedDate }
                guard let youngest = births.max() else { continue }
                let until = youngest.addingYears(policy.recordsUntilAge)
                if until <= today {
                    items.append(Item(caseID: id, reference: caseRecord.reference,
                                      reason: "Youngest child reached \(policy.recordsUntilAge) on \(UKDisplay.date(until))"))
                }
            }
        }
        let cutoff = now.addingTimeInterval(-Double(policy.auditYears) * 365.25 * 86_400)
        let audit = try await AuditEntry.query(on: db).filter(\.$organisationID == orgID).filter(\.$at < cutoff).count()
        return RetentionReport(cases: items, auditEntries: audit)
    }
}
