import Foundation

extension Display {
    /// Success messages after a step, keyed by the `done` query parameter (no personal data).
    public static let doneMessages: [String: String] = [
        "requested": "Request sent: the team manager will decide whether to convene",
        "decided": "Decision recorded",
        "declined": "Recorded that no discussion is needed",
        "sarc": "SARC contact recorded",
        "outcome-change": "The change was put to the members for endorsement",
        "observation": "Your observation was recorded",
        "transferred": "The case moved to the other team",
        "outcome-response": "Your answer was recorded",
        "booked": "Booked",
        "rebooked": "Rebooked with the service manager’s agreement",
        "cancelled": "Cancelled with the service manager’s agreement",
        "invited": "Invitations saved",
        "sent": "Invitations sent",
        "resent": "The failed messages will be sent again",
        "attendance": "Attendance saved",
        "saved": "Saved",
        "decisions": "Decisions saved",
        "action": "Action saved",
        "summary": "Summary of agreed actions sent to the attendees",
        "finalised": "Record finalised",
        "reopened": "Record reopened for changes",
        "authorised": "Record authorised",
        "circulated": "Record circulated to the invitees",
        "correction": "Correction sent to the chair",
        "corrected": "Correction decided",
        "event": "Added to the case timeline",
        "review": "Review discussion requested",
        "note": "Saved to the case timeline",
        "protection": "Immediate protection recorded",
        "disclosure": "Request sent to a service manager",
        "access": "Access granted for the stated purpose and period",
    ]
}
