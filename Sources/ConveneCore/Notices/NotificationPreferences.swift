/// How a person wants one kind of notice.
public enum NoticeDelivery: String, CaseIterable, Codable, Sendable {
    /// As soon as it is written.
    case immediately
    /// Gathered into one message a day (`DigestSchedule`).
    case dailyDigest = "daily-digest"
    /// Not sent; the page still shows it.
    case off

    public var label: String {
        switch self {
        case .immediately: "At once"
        case .dailyDigest: "In a daily digest"
        case .off: "Off"
        }
    }
}

/// A person's choices, per kind of notice (issue 11). A kind nobody chose for arrives at
/// once; statutory notices always do, whatever is stored.
public struct NotificationPreferences: Hashable, Sendable {
    public private(set) var choices: [NoticeKind: NoticeDelivery]

    public init(_ choices: [NoticeKind: NoticeDelivery] = [:]) {
        self.choices = choices.filter { !$0.key.isStatutory && $0.key != .digest }
    }

    /// How a notice of this kind reaches the person.
    public func delivery(for kind: NoticeKind) -> NoticeDelivery {
        guard !kind.isStatutory, kind != .digest else { return .immediately }
        return choices[kind] ?? .immediately
    }

    /// Sets one choice; a statutory kind cannot be changed (the error names the field).
    public mutating func set(_ kind: NoticeKind, to delivery: NoticeDelivery) throws(InputError) {
        if kind.isStatutory || kind == .digest {
            guard delivery == .immediately else {
                throw InputError(field: FieldPath("preferences").appending(kind.rawValue),
                                 "\(kind.title) are required by the procedure and are always sent at once")
            }
            return
        }
        choices[kind] = delivery
    }

    /// Reads the preferences form: one field per choosable kind, named by the kind, with a
    /// value of `immediately`, `daily-digest` or `off`. Every bad field is reported.
    public static func parse(_ fields: [String: String]) throws(ValidationFailure) -> NotificationPreferences {
        var preferences = NotificationPreferences()
        var checks = FieldChecks()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            let field = FieldPath("preferences").appending(name)
            guard let kind = NoticeKind(rawValue: name) else {
                checks.fail(field, "is not a kind of notice Convene sends")
                continue
            }
            guard let delivery = NoticeDelivery(rawValue: value) else {
                checks.fail(field, "choose at once, a daily digest or off")
                continue
            }
            do {
                try preferences.set(kind, to: delivery)
            } catch {
                checks.merge([error])
            }
        }
        try checks.finish()
        return preferences
    }
}
