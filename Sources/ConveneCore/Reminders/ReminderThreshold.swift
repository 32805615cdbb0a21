import Foundation

/// How far along a deadline is when a reminder is sent. Each threshold is sent once per
/// duty, action or request (the reminder's `key`); a later threshold supersedes an earlier
/// one not yet sent.
public enum ReminderThreshold: String, CaseIterable, Codable, Sendable, Comparable {
    /// The deadline is near: time to act.
    case approaching
    /// The deadline is today (working-day deadlines).
    case due
    /// The deadline has passed and the duty is not done.
    case overdue
    /// Still not done a working day after it became overdue: the next person up is told
    /// (an overdue action goes to the chair, ACT-ALL-03).
    case escalated

    public static func < (lhs: ReminderThreshold, rhs: ReminderThreshold) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Who a reminder goes to: named people where the record knows them, else a role, which the
/// scheduler reads as the people of that role in the case's team (minute takers and service
/// managers without a team work for the whole authority, so they count too).
public enum ReminderAudience: Hashable, Sendable, Comparable {
    case person(UUID)
    case role(Role)

    public static func < (lhs: ReminderAudience, rhs: ReminderAudience) -> Bool {
        switch (lhs, rhs) {
        case let (.person(a), .person(b)): a.uuidString < b.uuidString
        case let (.role(a), .role(b)): Role.allCases.firstIndex(of: a)! < Role.allCases.firstIndex(of: b)!
        case (.person, .role): true
        case (.role, .person): false
        }
    }
}
