import ConveneCore
import FluentKit
import Foundation

/// OVS-001-01: for each service manager, the months of a range with and without an observed
/// discussion.
public struct ObservationMonth: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var observations: Int

    public var observed: Bool { observations > 0 }
}

public enum ObservationQueries {
    /// Each month from `first` to `last` (inclusive, by their London dates) with how many
    /// observations the person recorded in it.
    public static func months(observer: UUID, organisation: UUID, first: LocalDate, last: LocalDate,
                              on db: any Database) async throws -> [ObservationMonth] {
        let start = EuropeLondon.instant(on: LocalDate(first.year, first.month, 1), secondsIntoDay: 0)
        let rows = try await Observation.query(on: db).filter(\.$organisationID == organisation)
            .filter(\.$observerID == observer).filter(\.$observedAt >= start).all()
        var months: [ObservationMonth] = []
        var (y, m) = (first.year, first.month)
        while (y, m) <= (last.year, last.month) {
            let n = rows.filter { let d = EuropeLondon.localDate(of: $0.observedAt); return d.year == y && d.month == m }.count
            months.append(ObservationMonth(year: y, month: m, observations: n))
            (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
        }
        return months
    }
}
