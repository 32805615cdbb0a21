import Foundation

/// The exports of the performance view as tables of text (a header row, then one row per
/// item); the web layer writes them as CSV. Times are Europe/London, `YYYY-MM-DD HH:MM`.
public enum OversightExport {
    /// One row per discussion and duty (issue 13): reference, case, team, dates, outcome, due,
    /// done, status and rule. A discussion that owes nothing (yet) has one row with the duty blank.
    public static func duties(_ facts: [DiscussionFacts], teamName: (UUID) -> String, asOf: Date) -> [[String]] {
        var rows = [["Reference", "Case", "Team", "Procedure", "Urgency", "Requested", "Decided", "Held", "Outcome",
                     "Duty", "Rule", "Timescale", "Due", "Done", "Status"]]
        for f in facts {
            let lead = [f.reference, f.caseReference, teamName(f.teamID), f.packID, f.urgency.rawValue, time(f.requestedAt),
                        time(f.decidedAt), time(f.heldAt), outcome(f)]
            let duties = ((f.convening.map { [$0] } ?? []) + f.duties).filter { $0.timeliness != .notRequired }
            if duties.isEmpty {
                rows.append(lead + ["", "", "", "", "", f.declined ? "Not convened" : ""])
            }
            for d in duties {
                rows.append(lead + [d.duty.title, d.rule, d.timescale, time(d.due), time(d.done), d.timeliness(at: asOf).label])
            }
        }
        return rows
    }

    /// One row per SMART action or safety-plan item.
    public static func actions(_ facts: [DiscussionFacts], teamName: (UUID) -> String, asOf: Date) -> [[String]] {
        var rows = [["Reference", "Case", "Team", "Agency", "Due", "Done", "Status", "On time", "Overdue"]]
        for f in facts {
            for a in f.actions {
                rows.append([f.reference, f.caseReference, teamName(f.teamID), Vocabulary.agencyName(a.agency),
                             a.due?.description ?? "", time(a.done), a.status.label, a.doneOnTime ? "Yes" : "No",
                             a.overdue(asOf: asOf) ? "Yes" : "No"])
            }
        }
        return rows
    }

    /// The columns of the inspection list, after Ofsted's ILACS Annex A list of section 47
    /// enquiries and initial child protection conferences.
    public static let inspectionHeader = ["Child identifier", "Age", "Gender", "Ethnicity", "Disability",
                                          "Strategy discussion date", "Section 47 enquiry start date", "Outcome",
                                          "ICPC date"]

    /// One row per child of each discussion held. Convene does not record a child's gender, so
    /// that column is left blank; the identifier is the authority's case number for the child
    /// (blank where the request did not give one); age is whole years at the discussion.
    public static func inspection(_ facts: [DiscussionFacts], children: [UUID: ChildDetails]) -> [[String]] {
        var rows = [inspectionHeader]
        for f in facts {
            guard let held = f.heldAt else { continue }
            let heldDay = EuropeLondon.localDate(of: held)
            for o in f.outcomes {
                let child = children[o.childID]
                rows.append([child?.caseNumber ?? "", child.map { age($0, on: heldDay) } ?? "", "",
                             child?.ethnicity ?? "", child?.disability ?? "", heldDay.description,
                             o.outcome?.startsS47 == true ? heldDay.description : "", o.outcome?.summaryLabel ?? "",
                             o.outcome?.startsS47 == true ? f.icpcHeldAt.map { EuropeLondon.localDate(of: $0).description } ?? "" : ""])
            }
        }
        return rows
    }

    /// Whole years on `day`; "Unborn" for an unborn child; blank without a date of birth.
    static func age(_ child: ChildDetails, on day: LocalDate) -> String {
        if child.unborn { return "Unborn" }
        guard let born = child.dateOfBirth else { return "" }
        var years = day.year - born.year
        if (day.month, day.day) < (born.month, born.day) { years -= 1 }
        return String(max(years, 0))
    }

    static func outcome(_ f: DiscussionFacts) -> String {
        let counts = DiscussionOutcome.allCases.compactMap { outcome -> String? in
            let n = f.outcomes.filter { $0.outcome == outcome }.count
            return n == 0 ? nil : (f.outcomes.count == 1 ? outcome.summaryLabel : "\(outcome.summaryLabel) (\(n))")
        }
        return counts.joined(separator: "; ")
    }

    static func time(_ instant: Date?) -> String {
        guard let instant else { return "" }
        let (day, seconds) = EuropeLondon.local(instant)
        let h = seconds / 3600, m = seconds / 60 % 60
        return "\(day) \(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }
}
