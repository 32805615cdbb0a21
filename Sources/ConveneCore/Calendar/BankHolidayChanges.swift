/// One-off changes made by royal proclamation: holidays moved for national occasions and
/// extra holidays granted. The standing rules cannot predict these; they are data.
enum BankHolidayChanges {
    enum Change {
        /// The holiday named `name` that the rules place on `from` is held on `to` instead.
        case moved(name: String, from: LocalDate, to: LocalDate)
        /// An extra holiday.
        case added(name: String, on: LocalDate)
    }

    /// Changes that applied throughout the United Kingdom.
    static let unitedKingdom: [Change] = [
        .moved(name: "Early May bank holiday", from: LocalDate(1995, 5, 1), to: LocalDate(1995, 5, 8)),
        .added(name: "Millennium celebrations", on: LocalDate(1999, 12, 31)),
        .moved(name: "Spring bank holiday", from: LocalDate(2002, 5, 27), to: LocalDate(2002, 6, 4)),
        .added(name: "Golden Jubilee of Queen Elizabeth II", on: LocalDate(2002, 6, 3)),
        .added(name: "Wedding of Prince William and Catherine Middleton", on: LocalDate(2011, 4, 29)),
        .moved(name: "Spring bank holiday", from: LocalDate(2012, 5, 28), to: LocalDate(2012, 6, 4)),
        .added(name: "Diamond Jubilee of Queen Elizabeth II", on: LocalDate(2012, 6, 5)),
        .moved(name: "Early May bank holiday (VE Day)", from: LocalDate(2020, 5, 4), to: LocalDate(2020, 5, 8)),
        .moved(name: "Spring bank holiday", from: LocalDate(2022, 5, 30), to: LocalDate(2022, 6, 2)),
        .added(name: "Platinum Jubilee of Queen Elizabeth II", on: LocalDate(2022, 6, 3)),
        .added(name: "State Funeral of Queen Elizabeth II", on: LocalDate(2022, 9, 19)),
        .added(name: "Coronation of King Charles III", on: LocalDate(2023, 5, 8)),
    ]

    static func apply(to list: inout [BankHolidayRules.Entry], year: Int, region: BankHolidayRegion) {
        // Every one-off change so far has applied in all three regions alike.
        for change in unitedKingdom {
            switch change {
            case let .moved(name, from, to) where from.year == year:
                if let index = list.firstIndex(where: { $0.date == from }) {
                    list[index] = .init(name, to, .none)
                }
            case let .added(name, on) where on.year == year:
                list.append(.init(name, on, .none))
            default:
                continue
            }
        }
    }
}
