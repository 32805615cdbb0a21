import ConveneCore
import ConveneStore
import Foundation

/// Your account → Notifications (issue 11): per kind of notice, at once, in a daily digest, or
/// off; the statutory notices listed as always sent at once.
public struct NotificationsPage: Encodable, Sendable {
    let choices: [ChoiceContext]
    let statutory: [String]
    let action: String
}

extension NotificationsPage {
    public init(state: FormState) {
        let options = NoticeDelivery.allCases.map { ($0.rawValue, $0.label) }
        var choices = NoticeKind.choosable.map { state.radios($0.rawValue, $0.title, options: options) }
        for i in choices.indices {
            choices[i].inline = true
            choices[i].small = true
        }
        self.init(choices: choices, statutory: NoticeKind.allCases.filter(\.isStatutory).map(\.title),
                  action: SiteURL.account.path + "/notifications")
    }
}
