import Foundation

/// How a figure moved since the period before.
public enum Trend: String, Codable, Sendable {
    case up, down, same
    /// Nothing to compare with (no count before, or no percentage either time).
    case none
}

/// One figure of the performance view (OVS-ALL-01): a count, the percentage it is of its
/// base where it has one, the same figure for the period before, and the discussions behind it
/// (the drill-down).
public struct Measure: Hashable, Sendable {
    public var key: String
    public var label: String
    public var count: Int
    /// What the percentage is of; nil for plain counts.
    public var base: Int?
    public var previousCount: Int
    public var previousBase: Int?
    public var discussions: [UUID]

    /// Rounded to a whole number (half up); nil without a base or with an empty one.
    public var percentage: Int? { Self.percent(count, base) }
    public var previousPercentage: Int? { Self.percent(previousCount, previousBase) }

    /// By percentage where the figure has one, otherwise by count.
    public var trend: Trend {
        if base != nil {
            guard let now = percentage, let before = previousPercentage else { return .none }
            return now > before ? .up : now < before ? .down : .same
        }
        return count > previousCount ? .up : count < previousCount ? .down : .same
    }

    static func percent(_ count: Int, _ base: Int?) -> Int? {
        guard let base, base > 0 else { return nil }
        return (count * 200 + base) / (base * 2)
    }
}

/// Request to meeting, for discussions held in the period: nearest-rank median and 90th
/// percentile (the value at rank ⌈p·n⌉ of the sorted times: always a real discussion's time).
public struct RequestToMeeting: Hashable, Sendable {
    public var count: Int
    public var median: TimeInterval?
    public var percentile90: TimeInterval?

    public init(_ intervals: [TimeInterval]) {
        let sorted = intervals.sorted()
        count = sorted.count
        median = Self.nearestRank(0.5, sorted)
        percentile90 = Self.nearestRank(0.9, sorted)
    }

    static func nearestRank(_ p: Double, _ sorted: [TimeInterval]) -> TimeInterval? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[max(rank, 1) - 1]
    }
}

/// A held discussion as the weekly trend counts it: when it was held, and how its convening
/// deadline went (nil: it had none). The store reads these from scalar columns, so the trend
/// over twelve months needs no discussion's whole facts.
public struct HeldConvening: Hashable, Sendable {
    public var heldAt: Date
    public var convening: DutyTimeliness?

    public init(heldAt: Date, convening: DutyTimeliness?) {
        self.heldAt = heldAt
        self.convening = convening
    }
}

/// One week of the twelve-month trend: discussions held, and how many of those decided were on time.
public struct WeekFigure: Hashable, Sendable {
    public var week: OversightPeriod
    public var held: Int
    public var onTime: Int
    public var decided: Int
}

/// One team's discussions held in the period, and how many of those decided were on time.
public struct TeamFigure: Hashable, Sendable {
    public var teamID: UUID
    public var held: Int
    public var onTime: Int
    public var decided: Int
}

/// Every figure of the performance view over one set of facts, for a period and a filter.
/// Each duty figure uses the engine's status (`DutyTimeliness`); a duty is counted in the
/// period of the event its deadline counts from, a held discussion's convening deadline in the
/// period it was held.
public struct OversightFigures: Sendable {
    public var period: OversightPeriod
    public var filter: OversightFilter
    public var asOf: Date
    public var measures: [Measure]
    public var requestToMeeting: RequestToMeeting
    public var previousRequestToMeeting: RequestToMeeting
    public var weeks: [WeekFigure]
    /// Per team with a discussion held in the period (the chart by team), most held first.
    public var teams: [TeamFigure]

    /// The duty figures of the issue, in the order shown.
    public static let dutyMeasures: [(Duty, String, String)] = [
        (.actionSummary, "action-summary-on-time", "Summary of agreed actions issued on time"),
        (.minutesAuthorisation, "minutes-authorised-on-time", "Minutes authorised on time"),
        (.minutesCirculation, "minutes-circulated-on-time", "Minutes circulated on time"),
        (.icpc, "icpc-on-time", "Initial child protection conference held on time"),
        (.s47Completion, "s47-completed-on-time", "Section 47 enquiry completed on time"),
        (.reviewDiscussion, "review-on-time", "Review discussion held on time"),
        (.ladoReferral, "lado-on-time", "LADO referral made on time"),
    ]

    /// `trend`: the discussions held in the trend's weeks (`period.trendWeeks`) under the same
    /// filter, if read apart from `all` (which then need only reach back as far as the period
    /// before); nil: worked out from `all`.
    public init(facts all: [DiscussionFacts], period: OversightPeriod, filter: OversightFilter, asOf: Date,
                trend: [HeldConvening]? = nil) {
        self.period = period
        self.filter = filter
        self.asOf = asOf
        let facts = all.filter(filter.matches)
        let now = Self.counts(facts, period: period, agency: filter.agency, asOf: asOf)
        let before = Self.counts(facts, period: period.previous, agency: filter.agency, asOf: min(asOf, period.previous.end))
        measures = now.order.map { key in
            let (label, current) = now.values[key]!
            let previous = before.values[key]?.1
            return Measure(key: key, label: label, count: current.count, base: current.base,
                           previousCount: previous?.count ?? 0, previousBase: previous?.base ?? (current.base == nil ? nil : 0),
                           discussions: current.ids)
        }
        requestToMeeting = RequestToMeeting(facts.compactMap { f in f.heldAt.flatMap { period.contains($0) ? f.requestToMeeting : nil } })
        let prior = period.previous
        previousRequestToMeeting = RequestToMeeting(facts.compactMap { f in f.heldAt.flatMap { prior.contains($0) ? f.requestToMeeting : nil } })
        weeks = Self.weeks(trend ?? facts.compactMap { $0.held(asOf: asOf) }, period: period)
        let heldInPeriod = facts.filter { $0.heldAt.map(period.contains) ?? false }
        teams = Dictionary(grouping: heldInPeriod, by: \.teamID).map { team, held in
            let decided = held.compactMap { $0.convening?.timeliness(at: asOf) }.filter(\.isDecided)
            return TeamFigure(teamID: team, held: held.count, onTime: decided.filter { $0 == .onTime }.count, decided: decided.count)
        }.sorted { ($0.held, $0.teamID.uuidString) > ($1.held, $1.teamID.uuidString) }
    }

    /// The weekly trend: each of the period's 52 trend weeks with the discussions held in it.
    public static func weeks(_ held: [HeldConvening], period: OversightPeriod) -> [WeekFigure] {
        let weeks = period.trendWeeks
        guard let first = weeks.first else { return [] }
        var figures = weeks.map { WeekFigure(week: $0, held: 0, onTime: 0, decided: 0) }
        for discussion in held {
            let index = (EuropeLondon.localDate(of: discussion.heldAt).dayNumber - first.first.dayNumber)
            guard index >= 0, index / 7 < figures.count else { continue }
            figures[index / 7].held += 1
            if let status = discussion.convening, status.isDecided {
                figures[index / 7].decided += 1
                if status == .onTime { figures[index / 7].onTime += 1 }
            }
        }
        return figures
    }

    public func measure(_ key: String) -> Measure? {
        measures.first { $0.key == key }
    }

    /// The discussions behind one figure, for its drill-down list (nil: no such figure).
    public func discussions(behind key: String) -> [UUID]? {
        measure(key)?.discussions
    }

    // MARK: - Counting

    /// A count (of discussions, children or actions) and the discussions behind it.
    struct Tally {
        var count = 0
        var ids: [UUID] = []
        var base: Int?
        var seen: Set<UUID> = []

        mutating func add(_ id: UUID) {
            count += 1
            if seen.insert(id).inserted { ids.append(id) }
        }
    }

    struct Counts {
        var order: [String] = []
        var values: [String: (String, Tally)] = [:]

        mutating func set(_ key: String, _ label: String, _ tally: Tally) {
            if values[key] == nil { order.append(key) }
            values[key] = (label, tally)
        }
    }

    static func counts(_ facts: [DiscussionFacts], period: OversightPeriod, agency: String?, asOf: Date) -> Counts {
        var c = Counts()
        func tally(_ items: [DiscussionFacts], base: Int? = nil) -> Tally {
            var t = Tally(base: base)
            items.forEach { t.add($0.discussionID) }
            return t
        }
        let requested = facts.filter { period.contains($0.requestedAt) }
        let held = facts.filter { $0.heldAt.map(period.contains) ?? false }
        if agency == nil {
            c.set("requests-made", "Requests made", tally(requested))
            c.set("convened", "Requests convened", tally(requested.filter(\.convened), base: requested.count))
            c.set("declined", "Requests declined", tally(requested.filter(\.declined), base: requested.count))
            c.set("held", "Discussions held", tally(held))
            let status = { (f: DiscussionFacts) in f.convening?.timeliness(at: asOf) }
            let decided = held.filter { status($0)?.isDecided ?? false }
            c.set("held-on-time", "Held within timescale", tally(decided.filter { status($0) == .onTime }, base: decided.count))
            c.set("held-late-with-reason", "Held late, reason recorded",
                  tally(decided.filter { status($0) == .lateWithReason }, base: decided.count))
            c.set("held-late-without-reason", "Held late, no reason recorded",
                  tally(decided.filter { status($0) == .lateWithoutReason }, base: decided.count))
            let checked = held.filter { $0.quorate != nil }
            c.set("quorate", "Quorate", tally(checked.filter { $0.quorate == true }, base: checked.count))
        }
        // Attendance: invitations of the discussions held, by agency.
        var invited = 0, apologies = Tally()
        var agencies: [String] = []
        var byAgency: [String: (invited: Int, attended: Tally, apologies: Tally)] = [:]
        for f in held {
            for a in f.attendance where agency == nil || a.agency == agency {
                if byAgency[a.agency] == nil { agencies.append(a.agency); byAgency[a.agency] = (0, Tally(), Tally()) }
                byAgency[a.agency]!.invited += a.invited
                invited += a.invited
                if a.attended > 0 { byAgency[a.agency]!.attended.add(f.discussionID) }
                if a.apologies > 0 { byAgency[a.agency]!.apologies.add(f.discussionID); apologies.add(f.discussionID) }
            }
        }
        // Per agency: of the discussions held that invited the agency, those it attended.
        for name in agencies.sorted() {
            let entry = byAgency[name]!
            let base = held.filter { $0.attendance.contains { $0.agency == name && $0.invited > 0 } }.count
            var attended = entry.attended
            attended.base = base
            c.set("attended.\(name)", "Attended: " + Vocabulary.agencyName(name), attended)
            var sent = entry.apologies
            sent.base = base
            c.set("apologies.\(name)", "Apologies: " + Vocabulary.agencyName(name), sent)
        }
        if agency == nil {
            let withInvitees = held.filter { $0.attendance.contains { $0.invited > 0 } }.count
            apologies.base = withInvitees
            c.set("apologies", "Discussions with apologies", apologies)
            for (duty, key, label) in dutyMeasures {
                let owed = facts.filter { f in
                    f.duty(duty).map { $0.timeliness(at: asOf).isDecided && period.contains($0.basisAt) } ?? false
                }
                c.set(key, label, tally(owed.filter { $0.duty(duty)?.timeliness(at: asOf) == .onTime }, base: owed.count))
            }
            // Outcomes per child, at discussions held in the period.
            let children = held.flatMap { f in f.outcomes.compactMap { o in o.outcome.map { (f.discussionID, $0) } } }
            for outcome in DiscussionOutcome.allCases {
                var t = Tally(base: children.count)
                children.filter { $0.1 == outcome }.forEach { t.add($0.0) }
                c.set("outcome.\(outcome.rawValue)", "Children: " + outcome.summaryLabel, t)
            }
            // Waiting longer than the date the discussion set (as of the end of the view).
            let waiting = facts.filter { $0.deferredSince != nil && $0.deferredSince! < period.end }
            c.set("deferred-too-long", "Deferred decisions past their date",
                  tally(waiting.filter { $0.deferredTooLong(asOf: asOf) }, base: waiting.count))
        }
        // Actions due in the period: done on time, and overdue by agency.
        let due = facts.flatMap { f in f.actions.filter { a in
            a.status != .cancelled && (agency == nil || a.agency == agency) && (a.due.map(period.contains) ?? false)
        }.map { (f.discussionID, $0) } }
        var onTime = Tally(base: due.count), overdue = Tally(base: due.count)
        var overdueByAgency: [String: Tally] = [:]
        for (id, action) in due {
            if action.doneOnTime { onTime.add(id) }
            if action.overdue(asOf: asOf) {
                overdue.add(id)
                overdueByAgency[action.agency, default: Tally(base: due.filter { $0.1.agency == action.agency }.count)].add(id)
            }
        }
        c.set("actions-on-time", "Actions done on time", onTime)
        c.set("actions-overdue", "Actions overdue", overdue)
        for name in overdueByAgency.keys.sorted() {
            c.set("actions-overdue.\(name)", "Actions overdue: " + Vocabulary.agencyName(name), overdueByAgency[name]!)
        }
        return c
    }
}
