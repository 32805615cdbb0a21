import Foundation

/// A request for a strategy discussion time.
public struct SlotRequest: Hashable, Sendable {
    public var requestedAt: Date
    public var urgency: Urgency
    /// Starts of meetings already booked in this calendar.
    public var booked: [Date]
    /// Do not offer anything earlier (e.g. the time agreed for urgency "other", or now).
    public var notBefore: Date?
    /// When the discussion is due. Where the pack lets this urgency be booked at any hour off
    /// its fixed sessions, a session is offered only if it starts by then. Nil: worked out from
    /// the pack's strategy-discussion timescales for a request made at `requestedAt`.
    public var dueBy: Date?

    public init(requestedAt: Date, urgency: Urgency = .standard, booked: [Date] = [], notBefore: Date? = nil,
                dueBy: Date? = nil) {
        self.requestedAt = requestedAt
        self.urgency = urgency
        self.booked = booked
        self.notBefore = notBefore
        self.dueBy = dueBy
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

    /// The earliest a discussion for this request may start: the pack's lead time after the
    /// request (SLOT-002-01: "24 hours from the point which the request was made"), and not
    /// before `notBefore`.
    public func earliestStart(_ request: SlotRequest) -> Date {
        let lead = request.requestedAt.addingTimeInterval(TimeInterval(pack.slots.leadTime[request.urgency] ?? 0))
        return max(lead, request.notBefore ?? lead)
    }

    /// Why a chosen start cannot be booked for this request, or nil if it may be.
    public func refusal(start: Date, for request: SlotRequest) -> String? {
        let lead = request.requestedAt.addingTimeInterval(TimeInterval(pack.slots.leadTime[request.urgency] ?? 0))
        guard start < lead else { return nil }
        let wait = Timescale.elapsed(seconds: pack.slots.leadTime[request.urgency] ?? 0).wording
            .replacingOccurrences(of: "within ", with: "")
        return "Under \(pack.slots.rule) a \(request.urgency.rawValue) discussion is booked at least \(wait) after the request "
            + "was made, so that agencies can gather their information: choose a time from \(UKDisplay.dateTime(lead))"
    }

    /// The strategy discussion's deadline for a request made at `requestedAt` under this pack.
    func deadline(_ request: SlotRequest) -> Date? {
        let timeline = Timeline(events: [.requestMade(at: request.requestedAt, urgency: request.urgency,
                                                      agreedDue: request.urgency == .other ? request.notBefore : nil,
                                                      rationale: nil)])
        return TimescaleEngine(pack: pack).evaluate(timeline, asOf: request.requestedAt)
            .first { $0.duty == .strategyDiscussion }?.due
    }

    public func nextFree(_ request: SlotRequest) throws(SlotError) -> SlotOffer {
        let slots = pack.slots
        let earliest = earliestStart(request)
        let booked = request.booked.sorted()
        let length = TimeInterval(slots.lengthSeconds)
        let capacity = slots.capacity
        func isFree(_ start: Date, _ end: Date) -> Bool {
            // The first booked meeting still running at `start` (binary search: the starts are
            // sorted), then how many of those from there begin before `end`: fewer than the
            // calendar runs at once leaves room (SLOT-ALL-01).
            var low = 0, high = booked.count
            while low < high {
                let mid = (low + high) / 2
                if booked[mid].addingTimeInterval(length) > start { high = mid } else { low = mid + 1 }
            }
            var overlapping = 0
            var i = low
            while i < booked.count && booked[i] < end {
                overlapping += 1
                if overlapping >= capacity { return false }
                i += 1
            }
            return true
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
            // Fixed sessions, but this urgency may be booked at any hour (Bradford's 2 hours,
            // TIME-001-01): a session if one starts by the deadline, otherwise the earliest free
            // quarter hour, day or night.
            let anyHour = slots.anyTime.contains(request.urgency)
            let due = anyHour ? (request.dueBy ?? deadline(request)) : nil
            var day = EuropeLondon.localDate(of: earliest)
            for _ in 0..<horizonDays {
                if pack.calendar.isWorkingDay(day) {
                    for (from, to) in daily {
                        let start = EuropeLondon.instant(on: day, secondsIntoDay: from)
                        guard start >= earliest else { continue }
                        if anyHour, let due, start > due { break }
                        let end = start.addingTimeInterval(TimeInterval(to - from))
                        if isFree(start, end) {
                            return SlotOffer(start: start, end: end, rule: slots.rule, lengthRule: slots.lengthRule,
                                             outsidePattern: false)
                        }
                    }
                }
                if anyHour, let due, EuropeLondon.instant(on: day.adding(days: 1), secondsIntoDay: 0) > due {
                    return try anyHourOffer(after: earliest, isFree: isFree)
                }
                day = day.adding(days: 1)
            }
        }
        throw SlotError(description: "no free slot in the next \(horizonDays) days")
    }

    /// The first free quarter hour from `earliest`, at any hour of any day.
    private func anyHourOffer(after earliest: Date, isFree: (Date, Date) -> Bool) throws(SlotError) -> SlotOffer {
        let slots = pack.slots
        let step = 900
        var start = Date(timeIntervalSince1970: (earliest.timeIntervalSince1970 / Double(step)).rounded(.up) * Double(step))
        for _ in 0..<(horizonDays * 86_400 / step) {
            let end = start.addingTimeInterval(TimeInterval(slots.lengthSeconds))
            if isFree(start, end) {
                let onPattern = slots.dailySlots.contains { slot in
                    let (date, seconds) = EuropeLondon.local(start)
                    return slot.start == seconds && pack.calendar.isWorkingDay(date)
                }
                return SlotOffer(start: start, end: end, rule: slots.rule, lengthRule: slots.lengthRule, outsidePattern: !onPattern)
            }
            start = start.addingTimeInterval(TimeInterval(step))
        }
        throw SlotError(description: "no free slot in the next \(horizonDays) days")
    }
}
