/// When a pack's strategy discussions can be booked (SLOT-*): fixed sessions on working days
/// (Bradford's hourly slots, Hertfordshire's teleconference sessions), or, where the
/// procedure sets none, times on a grid within office hours.
public struct SlotCalendar: Hashable, Sendable {
    public struct Session: Hashable, Sendable {
        public let start: LocalTime
        public let end: LocalTime
    }

    /// What a booking occupies: a calendar the authority sets up (Hertfordshire's one
    /// teleconference line, Bradford's locality mailboxes), or the chair's own diary where the
    /// procedure sets no calendar.
    public enum Resource: String, CaseIterable, Hashable, Sendable {
        case calendar
        case chair
    }

    public enum Pattern: Hashable, Sendable {
        case sessions([Session])
        /// Starts every `everySeconds` from `from` while a whole slot fits before `until`.
        case grid(everySeconds: Int, from: LocalTime, until: LocalTime)
    }

    public let rule: RequirementID
    public let source: String
    public let pattern: Pattern
    /// Meeting length for grid slots (sessions carry their own end).
    public let lengthSeconds: Int
    /// The rule that caps a meeting's length (Bradford TIME-001-02).
    public let lengthRule: RequirementID?
    /// How long after the request the first slot may start, by urgency (SLOT-002-01: 24 hours).
    public let leadTime: [Urgency: Int]
    /// Urgencies that may be booked at any time of day or week, outside the pattern.
    public let anyTime: [Urgency]
    /// What a slot is booked against, and how many discussions run at once on one of them.
    public let bookedAgainst: Resource
    public let capacity: Int

    /// The (start, end) seconds-into-day of each possible slot on a working day.
    public var dailySlots: [(start: Int, end: Int)] {
        switch pattern {
        case let .sessions(sessions):
            return sessions.map { ($0.start.secondsIntoDay, $0.end.secondsIntoDay) }
        case let .grid(every, from, until):
            var slots: [(Int, Int)] = []
            var start = from.secondsIntoDay
            while start + lengthSeconds <= until.secondsIntoDay {
                slots.append((start, start + lengthSeconds))
                start += every
            }
            return slots
        }
    }
}

extension SlotCalendar: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case rule, source, sessions, grid, length, lengthRule, leadTime, anyTime, bookedAgainst, capacity
    }

    enum GridKeys: String, CodingKey, CaseIterable {
        case every, from, until
    }

    enum SessionKeys: String, CodingKey, CaseIterable {
        case start, end
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: Keys.self)
        rule = try c.decode(RequirementID.self, forKey: .rule)
        source = try c.decode(String.self, forKey: .source)
        lengthRule = try c.decodeIfPresent(RequirementID.self, forKey: .lengthRule)
        anyTime = c.contains(.anyTime) ? try c.decodeTermList(Urgency.self, forKey: .anyTime) : []
        bookedAgainst = try c.decodeTermIfPresent(Resource.self, forKey: .bookedAgainst) ?? .calendar
        capacity = try c.decodeIfPresent(Int.self, forKey: .capacity) ?? 1
        guard (1...50).contains(capacity) else {
            throw DecodingError.dataCorruptedError(forKey: .capacity, in: c,
                                                   debugDescription: "must be a whole number from 1 to 50 (discussions at once)")
        }

        var lead: [Urgency: Int] = [:]
        if c.contains(.leadTime) {
            let leads = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .leadTime)
            for key in leads.allKeys {
                guard let urgency = Urgency(rawValue: key.stringValue) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: leads,
                        debugDescription: "unknown urgency \"\(key.stringValue)\"; expected one of: immediate, standard, other")
                }
                lead[urgency] = try leads.decode(PackDuration.self, forKey: key).seconds
            }
        }
        leadTime = lead

        switch (c.contains(.sessions), c.contains(.grid)) {
        case (true, false):
            var list = try c.nestedUnkeyedContainer(forKey: .sessions)
            var sessions: [Session] = []
            while !list.isAtEnd {
                let s = try list.nestedContainer(keyedBy: SessionKeys.self)
                let start = try s.decodeLocalTime(forKey: .start)
                let end = try s.decodeLocalTime(forKey: .end)
                guard end > start else {
                    throw DecodingError.dataCorruptedError(forKey: .end, in: s, debugDescription: "must be after start")
                }
                if let previous = sessions.last, start < previous.end {
                    throw DecodingError.dataCorruptedError(
                        forKey: .start, in: s, debugDescription: "sessions must be in order and must not overlap")
                }
                sessions.append(Session(start: start, end: end))
            }
            guard !sessions.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .sessions, in: c, debugDescription: "list at least one session")
            }
            pattern = .sessions(sessions)
            lengthSeconds = sessions.map { $0.end.secondsIntoDay - $0.start.secondsIntoDay }.max() ?? 0
            if c.contains(.length) {
                throw DecodingError.dataCorruptedError(
                    forKey: .length, in: c, debugDescription: "sessions carry their own end; leave length out")
            }
        case (false, true):
            let g = try c.nestedContainer(keyedBy: GridKeys.self, forKey: .grid)
            let every = try g.decode(PackDuration.self, forKey: .every).seconds
            let from = try g.decodeLocalTime(forKey: .from)
            let until = try g.decodeLocalTime(forKey: .until)
            guard every > 0 else {
                throw DecodingError.dataCorruptedError(forKey: .every, in: g, debugDescription: "must be more than 0")
            }
            guard until > from else {
                throw DecodingError.dataCorruptedError(forKey: .until, in: g, debugDescription: "must be after from")
            }
            pattern = .grid(everySeconds: every, from: from, until: until)
            lengthSeconds = try c.decode(PackDuration.self, forKey: .length).seconds
            guard lengthSeconds > 0, from.secondsIntoDay + lengthSeconds <= until.secondsIntoDay else {
                throw DecodingError.dataCorruptedError(
                    forKey: .length, in: c, debugDescription: "must be more than 0 and fit between from and until")
            }
        default:
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "give either sessions or grid"))
        }
    }
}

extension KeyedDecodingContainer {
    func decodeLocalTime(forKey key: Key) throws -> LocalTime {
        let text = try decode(String.self, forKey: key)
        guard let time = LocalTime(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "\"\(text)\" is not a time as HH:MM (24-hour clock)")
        }
        return time
    }
}

extension SlotCalendar {
    /// A time off the pattern may be chosen where the procedure sets no fixed calendar (a
    /// grid of office hours), or the discussion is immediate.
    public func allowsCustomTime(for urgency: Urgency) -> Bool {
        if case .grid = pattern { return true }
        return urgency == .immediate
    }
}
