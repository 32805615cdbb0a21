/// The standing rules of the Banking and Financial Dealings Act 1971 and the annual royal
/// proclamations, per region, with substitute days for holidays falling at a weekend.
/// One-off moves and additions come from `BankHolidayChanges`.
public enum BankHolidayRules {
    /// Every bank holiday of `year` in `region`, in date order.
    public static func holidays(in year: Int, region: BankHolidayRegion) -> [BankHoliday] {
        var fixed: [Entry] = []
        let easter = easterSunday(year)
        switch region {
        case .englandAndWales, .northernIreland:
            fixed.append(Entry("New Year’s Day", LocalDate(year, 1, 1), .nextFreeWeekday))
            if region == .northernIreland {
                fixed.append(Entry("St Patrick’s Day", LocalDate(year, 3, 17), .nextFreeWeekday))
            }
            fixed.append(Entry("Good Friday", easter.adding(days: -2), .none))
            fixed.append(Entry("Easter Monday", easter.adding(days: 1), .none))
            fixed.append(Entry("Early May bank holiday", .first(1, ofMonth: 5, year: year), .none))
            fixed.append(Entry("Spring bank holiday", .last(1, ofMonth: 5, year: year), .none))
            if region == .northernIreland {
                fixed.append(Entry("Battle of the Boyne (Orangemen’s Day)", LocalDate(year, 7, 12), .nextFreeWeekday))
            }
            fixed.append(Entry("Summer bank holiday", .last(1, ofMonth: 8, year: year), .none))
        case .scotland:
            fixed.append(Entry("New Year’s Day", LocalDate(year, 1, 1), .nextFreeWeekday))
            fixed.append(Entry("2nd January", LocalDate(year, 1, 2), .nextFreeWeekday))
            fixed.append(Entry("Good Friday", easter.adding(days: -2), .none))
            fixed.append(Entry("Early May bank holiday", .first(1, ofMonth: 5, year: year), .none))
            fixed.append(Entry("Spring bank holiday", .last(1, ofMonth: 5, year: year), .none))
            fixed.append(Entry("Summer bank holiday", .first(1, ofMonth: 8, year: year), .none))
            fixed.append(Entry("St Andrew’s Day", LocalDate(year, 11, 30), .nextMonday))
        }
        fixed.append(Entry("Christmas Day", LocalDate(year, 12, 25), .nextFreeWeekday))
        fixed.append(Entry("Boxing Day", LocalDate(year, 12, 26), .nextFreeWeekday))

        BankHolidayChanges.apply(to: &fixed, year: year, region: region)

        // Substitute days: a holiday at a weekend moves to the next weekday that is not
        // already a holiday (so Christmas on a Saturday gives Monday 27 and Tuesday 28).
        var result: [BankHoliday] = []
        var taken = Set(fixed.filter { !$0.date.isWeekend }.map(\.date))
        for entry in fixed {
            let holiday = BankHoliday(date: entry.date, name: entry.name)
            guard holiday.date.isWeekend else {
                result.append(holiday)
                continue
            }
            var date = holiday.date
            switch entry.substitute {
            case .none:
                result.append(holiday)
                continue
            case .nextMonday:
                date = date.adding(days: 8 - date.weekday)
            case .nextFreeWeekday:
                repeat { date = date.adding(days: 1) } while date.isWeekend || taken.contains(date)
            }
            taken.insert(date)
            result.append(BankHoliday(date: date, name: holiday.name + " (substitute day)"))
        }
        return result.sorted { $0.date < $1.date }
    }

    enum Substitution {
        case none, nextFreeWeekday, nextMonday
    }

    struct Entry {
        var name: String
        var date: LocalDate
        var substitute: Substitution

        init(_ name: String, _ date: LocalDate, _ substitute: Substitution) {
            self.name = name
            self.date = date
            self.substitute = substitute
        }
    }

    /// Easter Sunday in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" algorithm).
    public static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year, month, day)
    }
}
