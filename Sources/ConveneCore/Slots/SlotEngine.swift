import Foundation

/// A request for a strategy discussion time.
public struct SlotRequest: Hashable, Sendable {
    public var requestedAt: Date
    public var urgency: Urgency
    /// Starts of meetings already booked in this calendar.
    public var booked: [Date]
    /// Do not offer anything earlier (e.g. the time agreed for urgency "other").
    public var notBefore: Date?

    public init(requestedAt: Date, urgency: Urgency = .standard, booked: [Date] = [], notBefore: Date? = nil) {
        self.requestedAt = requestedAt
        self.urgency = urgency
        self.booked = booked
        self.notBefore = notBefore
    }
}

public struct SlotOffer: Hashable, Sendable {
    public let start: Date
    public let end: Date
    public let rule: RequirementID
    public let lengthRule: RequirementID?
    /// Offered outside the pack's pattern because the urgency allows any time.
    public let outsidePattern: Bool
}

public struct SlotError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
}

/// Finds the next free slot for a request in a pack's calendar (SLOT-*), never one that
/// overlaps a booked meeting (SLOT-ALL-01; the store enforces it again under concurrency).
public struct SlotEngine: Sendable {
    public let pack: ProcedurePack
    /// How far ahead to look before giving up.
    public let horizonDays = 400

    public init(pack: ProcedurePack) {
        self.pack = pack
    }

    public func nextFree(_ request: SlotRequest) throws(SlotError) -> SlotOffer {
        let slots = pack.slots
        var earliest = request.requestedAt.addingTimeInterval(TimeInterval(slots.leadTime[request.urgency] ?? 0))
        if let notBefore = request.notBefore, notBefore > earliest {
            earliest = notBefore
        }
        let booked = request.booked.sorted()
        let length = TimeInterval(slots.lengthSeconds)
        func isFree(_ start: Date, _ end: Date) -> Bool {
            // The first booked meeting still running at `start` (binary search: the starts are
            // sorted), and whether it begins before `end`.
            var low = 0, high = booked.count
            while low < high {
                let mid = (low + high) / 2
                if booked[mid].addingTimeInterval(length) > start { high = mid } else { low = mid + 1 }
            }
            return !(low < booked.count && booked[low] < end)
        }

        if slots.anyTime.contains(request.urgency), case let .grid(every, _, _) = slots.pattern {
            // An urgent discussion is not held back to office hours: the next grid time, any day.
            let (date, seconds) = EuropeLondon.local(earliest)
            let step = (seconds + every - 1) / every * every
            var start = EuropeLondon.instant(on: date, secondsIntoDay: 0).addingTimeInterval(TimeInterval(step))
            if start < earliest { start = earliest }
            for _ in 0..<(horizonDays * 86_400 / every) {
                let end = start.addingTimeInterval(TimeInterval(slots.lengthSeconds))
                if isFree(start, end) {
                    return SlotOffer(start: start, end: end, rule: slots.rule, lengthRule: slots.lengthRule, outsidePattern: true)
                }
                start = start.addingTimeInterval(TimeInterval(every))
            }
        } else {
            let daily = slots.dailySlots
            var day = EuropeLondon.localDate(of: earliest)
            for _ in 0..<horizonDays {
                if pack.calendar.isWorkingDay(day) {
                    for (from, to) in daily {
                        let start = EuropeLondon.instant(on: day, secondsIntoDay: from)
                        guard start >= earliest else { continue }
                        let end = start.addingTimeInterval(TimeInterval(to - from))
                        if isFree(start, end) {
                            return SlotOffer(start: start, end: end, rule: slots.rule, lengthRule: slots.lengthRule,
                                             outsidePattern: false)
                        }
                    }
                }
                day = day.adding(days: 1)
            }
        }
        throw SlotError(description: "no free slot in the next \(horizonDays) days")
    }
}
