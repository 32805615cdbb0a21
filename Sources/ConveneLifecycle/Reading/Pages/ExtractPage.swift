import ConveneCore
import ConveneStore
import Foundation

/// REQ-002-01: the extract behind a teleconference request's personal link, asking for the
/// access code sent in a separate message; nothing is shown before the code is given.
public struct ExtractPage: Encodable, Sendable {
    let action: String
    let valid: Bool
    let message: String
    let code: FieldContext
    let title: String
    let sections: [ExtractSection]
    let opened: Bool
}

extension ExtractPage {
    public init(action: String, valid: Bool, state: FormState, title: String, sections: [ExtractSection]) {
        self.init(action: action, valid: valid,
                  message: valid ? "" : "This link has expired, is locked after too many wrong codes, or is not valid. Ask Children’s Services to send the request again.",
                  code: state.field("code", "Access code", hint: "Sent to you in a separate message").with(width: "10"),
                  title: title, sections: sections, opened: !sections.isEmpty)
    }
}
