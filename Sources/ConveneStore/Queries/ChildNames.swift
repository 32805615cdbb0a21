import ConveneCore
import FluentKit
import Foundation
import SQLKit

/// A child as lists name them ("Amira Khan (7)"): the name and date of birth from their own
/// columns, and the rest of the child's details (a JSON document) read only for a child without
/// a date of birth (an unborn child's expected date). Lists name the children of every row they
/// show, and decoding each child's whole details was a tenth of the team page (issue 12).
public struct ChildName: Sendable, Hashable {
    public let id: UUID
    public let caseID: UUID
    public let name: String
    public let dateOfBirth: LocalDate?
    public let unborn: Bool
    public let expectedDate: LocalDate?

    public init(id: UUID, caseID: UUID, name: String, dateOfBirth: LocalDate?, unborn: Bool, expectedDate: LocalDate?) {
        self.id = id
        self.caseID = caseID
        self.name = name
        self.dateOfBirth = dateOfBirth
        self.unborn = unborn
        self.expectedDate = expectedDate
    }

    /// The children of these cases, each case's in order.
    public static func of(cases caseIDs: [UUID], on db: any Database) async throws -> [ChildName] {
        guard !caseIDs.isEmpty else { return [] }
        guard let sql = db as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let rows = try await sql.raw("""
            SELECT id, case_id, name, date_of_birth, CASE WHEN date_of_birth IS NULL THEN details END AS details \
            FROM \(ident: CaseChild.schema) WHERE case_id IN (\(binds: Array(Set(caseIDs)))) ORDER BY case_id, "position"
            """).all(decoding: Row.self)
        return try rows.map { row in
            var dateOfBirth: LocalDate?
            if let text = row.date_of_birth {
                guard let day = LocalDate(text) else { throw ChildNameError.dateOfBirth(text) }
                dateOfBirth = day
            }
            return ChildName(id: row.id, caseID: row.case_id, name: row.name, dateOfBirth: dateOfBirth ?? row.details?.dateOfBirth,
                             unborn: row.details?.unborn ?? false, expectedDate: row.details?.expectedDate)
        }
    }

    private struct Row: Decodable {
        let id: UUID
        let case_id: UUID
        let name: String
        let date_of_birth: String?
        let details: Unborn?
    }

    /// What the details say of a child without a date of birth.
    private struct Unborn: Decodable {
        let dateOfBirth: LocalDate?
        let unborn: Bool?
        let expectedDate: LocalDate?
    }
}

enum ChildNameError: Error, CustomStringConvertible {
    case dateOfBirth(String)
    var description: String {
        switch self {
        case let .dateOfBirth(text): "A child's stored date of birth is not a date: \(text)"
        }
    }
}
