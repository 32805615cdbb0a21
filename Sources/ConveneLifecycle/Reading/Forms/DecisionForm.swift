import ConveneCore
import Foundation

/// The accept-or-refuse form beside each item of a list (corrections, disclosure requests):
/// its field names and element ids, and after a refused decision, the answers kept and each
/// error on its field.
public struct DecisionForm: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
        let value: String
        let label: String
        /// The first choice carries the decision's id, so the error summary's link lands on it.
        let id: String
        var checked = false
    }

    let decisionName: String
    let reasonName: String
    let decisionID: String
    let reasonID: String
    let reasonLabel: String
    var choices: [Choice]
    var decisionError = ""
    var reasonError = ""
    var reasonValue = ""

    public init(decisionName: String, reasonName: String, decisionID: String, reasonID: String,
                choices: [(value: String, label: String)], reasonLabel: String) {
        self.decisionName = decisionName
        self.reasonName = reasonName
        self.decisionID = decisionID
        self.reasonID = reasonID
        self.reasonLabel = reasonLabel
        self.choices = choices.enumerated().map { i, c in
            Choice(value: c.value, label: c.label, id: i == 0 ? decisionID : decisionID + "-" + c.value)
        }
    }

    /// The same form as submitted, with its errors.
    public func filled(from state: FormState) -> DecisionForm {
        var form = self
        form.decisionError = state.error(decisionID)
        form.reasonError = state.error(reasonID)
        form.reasonValue = state.values[reasonName] ?? ""
        for i in form.choices.indices { form.choices[i].checked = state.values[decisionName] == form.choices[i].value }
        return form
    }
}
