import Foundation

/// The contact with the SARC made before convening (TIME-000-02: suspected sexual abuse in the
/// last 10 days; forensic timescales may mean the child is seen at once, not after the meeting).
public struct SarcContact: Codable, Hashable, Sendable {
    public var contactedAt: Date
    public var contactedBy: String
    /// The forensic timescales the SARC advised.
    public var forensicAdvice: String
    /// Who recorded it in Convene.
    public var recordedBy: String

    public init(contactedAt: Date, contactedBy: String, forensicAdvice: String, recordedBy: String) {
        self.contactedAt = contactedAt
        self.contactedBy = contactedBy
        self.forensicAdvice = forensicAdvice
        self.recordedBy = recordedBy
    }

    /// Every problem with the record, by field (`sarcContactedAt`, `sarcContactedBy`, `sarcForensicAdvice`).
    public static func validate(contactedAt: Date?, contactedBy: String, forensicAdvice: String, now: Date) -> [InputError] {
        var v = FieldChecks()
        if let contactedAt {
            v.check(contactedAt <= now.addingTimeInterval(300), "sarcContactedAt", "The contact must not be in the future")
        } else {
            v.fail("sarcContactedAt", "Enter when the SARC was contacted")
        }
        v.text(contactedBy, "sarcContactedBy", "Enter who contacted the SARC", max: 200)
        v.text(forensicAdvice, "sarcForensicAdvice", "Enter the forensic timescales the SARC advised", max: 4000)
        return v.errors
    }
}

extension ProcedurePack {
    /// The pack's alerts that apply to a request now (TIME-000-02): their conditions hold, and
    /// where an alert is limited to a recent incident, the incident is recent or its date unknown.
    public func alerts(for request: DiscussionRequest) -> [AttendanceAlert] {
        let question = AttendanceQuestion(urgent: request.urgency == .immediate, complex: request.complex,
                                          concerns: request.concerns, child: request.circumstances)
        let engine = AttendanceEngine(pack: self)
        let received = EuropeLondon.localDate(of: request.concernReceivedAt)
        return attendance.alerts.filter { alert in
            guard engine.reason(alert.when, question) != nil else { return false }
            if let days = alert.incidentWithinDays, let incident = request.incidentDate {
                return received.dayNumber - incident.dayNumber <= days
            }
            return true
        }
    }
}

extension SarcContact {
    /// The contact in one sentence, as the request page and the case history show it.
    public var sentence: String {
        "SARC contacted \(UKDisplay.dateTime(contactedAt)) by \(contactedBy). Forensic timescales advised: " + forensicAdvice
    }
}
