import ConveneCore
import ConveneStore
import Foundation

/// The team manager's decision whether a discussion is needed (REQ-001-02), with the request's
/// essentials and the SARC prompt (TIME-000-02).
public struct DecisionPage: Encodable, Sendable {
    let action: String
    let version: Int
    let reference: String
    let children: String
    let presentingIssue: String
    let rationale: String
    let urgency: String
    let urgencyRationale: String
    let convene: ChoiceContext
    let reason: FieldContext
    let requestHref: String
    let sarc: SarcPrompt
}

extension DecisionPage {
    public init(_ loaded: LoadedDiscussion, state: FormState, csrf: String, today: LocalDate) {
        let d = loaded.discussion
        self.init(
            action: SiteURL.discussionPart(loaded.id, .decision).path, version: d.lockVersion, reference: d.reference,
            children: Display.children(loaded.childDetails, today: today),
            presentingIssue: d.request.presentingIssue, rationale: d.request.rationale,
            urgency: loaded.pack.request.urgencies.first { $0.urgency == d.urgency }?.label ?? d.urgency.rawValue,
            urgencyRationale: d.request.urgencyRationale,
            convene: {
                var c = state.radios("convene", "Is a \(loaded.pack.meetingName) needed?", options: [
                    ("yes", "Yes – convene it"), ("no", "No – it is not needed"),
                ])
                c.legendSize = "m"
                return c
            }(),
            reason: state.field("reason", "Reason for your decision",
                                hint: "Required if it is not needed. Say what will happen instead."),
            requestHref: SiteURL.discussionPart(loaded.id, .request).path,
            sarc: SarcPrompt(loaded, state: state, returnTo: "decision", csrf: csrf))
    }
}
