import ConveneCore
import ConveneStore
import Foundation

/// The confirmation page of an invitee's personal link (REQ-001-03): opening it is a POST
/// from here, never a GET.
public struct AccessLinkPage: Encodable, Sendable {
    let action: String
    let valid: Bool
    let message: String
}

extension AccessLinkPage {
    public init(action: String, valid: Bool) {
        self.init(action: action, valid: valid,
                  message: valid ? "" : "This link has expired or is not valid. Ask the chair of the discussion to send you a new one.")
    }
}
