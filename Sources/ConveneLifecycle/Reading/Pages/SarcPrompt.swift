import ConveneCore
import ConveneStore
import Foundation

/// TIME-000-02 on the request and decision pages: the pack's "contact the SARC now" alert
/// before convening, and the contact once recorded (when, by whom, forensic timescales).
public struct SarcPrompt: Encodable, Sendable {
    let alerts: [String]
    /// The recorded contact, as a sentence; empty until recorded.
    let recorded: String
    let canRecord: Bool
    let action: String
    let returnTo: String
    let csrf: String
    let contactedAt: DateFieldContext
    let contactedBy: FieldContext
    let advice: FieldContext

    public init(_ loaded: LoadedDiscussion, state: FormState, returnTo: String, csrf: String) {
        self.csrf = csrf
        let request = loaded.discussion.request
        let alerts = loaded.pack.alerts(for: request)
        self.alerts = alerts.map { "\($0.message)" }
        recorded = request.sarcContact?.sentence ?? ""
        canRecord = request.sarcContact == nil && alerts.contains { $0.record == "sarc-contact" }
            && loaded.allows(.recordImmediateProtection) && loaded.discussion.stage.isOpen
        action = SiteURL.discussionPart(loaded.id, .sarcContact).path
        self.returnTo = returnTo
        contactedAt = state.date("sarcContactedAt", "When the SARC was contacted", hint: "UK time", withTime: true)
        contactedBy = state.field("sarcContactedBy", "Who contacted the SARC").with(width: "20")
        advice = state.field("sarcForensicAdvice", "Forensic timescales the SARC advised",
                             hint: "For example, whether the child must be seen today").with(rows: 3)
    }
}
