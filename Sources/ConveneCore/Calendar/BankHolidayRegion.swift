/// The three bank-holiday jurisdictions of the United Kingdom (INT-ALL-03).
public enum BankHolidayRegion: String, CaseIterable, Codable, Sendable {
    case englandAndWales = "england-and-wales"
    case scotland
    case northernIreland = "northern-ireland"

    public var displayName: String {
        switch self {
        case .englandAndWales: "England and Wales"
        case .scotland: "Scotland"
        case .northernIreland: "Northern Ireland"
        }
    }
}

/// One bank holiday: its date and the name the government's list gives it.
public struct BankHoliday: Hashable, Sendable {
    public let date: LocalDate
    public let name: String

    public init(date: LocalDate, name: String) {
        self.date = date
        self.name = name
    }
}
