import ConveneCore
import Foundation

/// A text field as the templates draw it: label, hint, value and its own error message.
struct FieldContext: Encodable {
    let id: String
    let name: String
    let label: String
    let hint: String
    let value: String
    let error: String
    var type = "text"
    /// cv-input--width-N; empty for full width.
    var width = ""
    var autocomplete = "off"
    var rows = 5
    /// Label as a page heading size (`l`, `m`, `s`) or empty for the normal size.
    var labelSize = ""

    func with(type: String? = nil, width: String? = nil, autocomplete: String? = nil, rows: Int? = nil,
              labelSize: String? = nil) -> FieldContext {
        var copy = self
        if let type { copy.type = type }
        if let width { copy.width = width }
        if let autocomplete { copy.autocomplete = autocomplete }
        if let rows { copy.rows = rows }
        if let labelSize { copy.labelSize = labelSize }
        return copy
    }
}

struct OptionContext: Encodable {
    let value: String
    let label: String
    let hint: String
    let checked: Bool
}

/// Radios or checkboxes with a legend.
struct ChoiceContext: Encodable {
    let id: String
    let name: String
    let legend: String
    let hint: String
    let options: [OptionContext]
    let error: String
    var inline = false
    var small = false
    /// Legend size: `l`, `m`, `s`.
    var legendSize = "s"
}

/// A GOV.UK date input (day, month, year) with an optional time.
struct DateFieldContext: Encodable {
    let id: String
    let name: String
    let legend: String
    let hint: String
    let day: String
    let month: String
    let year: String
    let time: String
    let error: String
    /// Also ask for a time (HH:MM, UK time).
    var withTime = false
}

/// Builds field contexts from submitted values (or stored ones) and the errors of a submission.
struct FormState {
    var values: [String: String]
    var multi: [String: [String]]
    var errors: [InputError]

    init(values: [String: String] = [:], multi: [String: [String]] = [:], errors: [InputError] = []) {
        self.values = values
        self.multi = multi
        self.errors = errors
    }

    init(form: FormData, errors: [InputError]) {
        values = form.values.mapValues { $0.last ?? "" }
        multi = form.values
        self.errors = errors
    }

    func error(_ name: String) -> String {
        let id = FieldPath(name).htmlID
        return errors.first { $0.field.htmlID == id }?.message ?? ""
    }

    func field(_ name: String, _ label: String, hint: String = "") -> FieldContext {
        FieldContext(id: FieldPath(name).htmlID, name: name, label: label, hint: hint, value: values[name] ?? "",
                     error: error(name))
    }

    func radios(_ name: String, _ legend: String, hint: String = "", options: [(String, String)],
                hints: [String: String] = [:]) -> ChoiceContext {
        let current = values[name] ?? ""
        return ChoiceContext(
            id: FieldPath(name).htmlID, name: name, legend: legend, hint: hint,
            options: options.map { OptionContext(value: $0.0, label: $0.1, hint: hints[$0.0] ?? "", checked: $0.0 == current) },
            error: error(name))
    }

    func checkboxes(_ name: String, _ legend: String, hint: String = "", options: [(String, String)]) -> ChoiceContext {
        let current = Set(multi[name] ?? [])
        return ChoiceContext(
            id: FieldPath(name).htmlID, name: name, legend: legend, hint: hint,
            options: options.map { OptionContext(value: $0.0, label: $0.1, hint: "", checked: current.contains($0.0)) },
            error: error(name))
    }

    func date(_ name: String, _ legend: String, hint: String = "", withTime: Bool = false) -> DateFieldContext {
        let errorText = [error(name), error(name + ".time")].first { !$0.isEmpty } ?? ""
        return DateFieldContext(
            id: FieldPath(name).htmlID, name: name, legend: legend, hint: hint, day: values[name + ".day"] ?? "",
            month: values[name + ".month"] ?? "", year: values[name + ".year"] ?? "", time: values[name + ".time"] ?? "",
            error: errorText, withTime: withTime)
    }

    /// Stores a date (and time) into the three (four) fields of a date input.
    mutating func setDate(_ name: String, _ date: LocalDate?) {
        guard let date else { return }
        values[name + ".day"] = String(date.day)
        values[name + ".month"] = String(date.month)
        values[name + ".year"] = String(date.year)
    }

    mutating func setDateTime(_ name: String, _ instant: Date?) {
        guard let instant else { return }
        let (date, seconds) = EuropeLondon.local(instant)
        setDate(name, date)
        values[name + ".time"] = RFC3339.pad2(seconds / 3600) + ":" + RFC3339.pad2(seconds / 60 % 60)
    }
}

/// The accept-or-refuse form beside each item of a list (corrections, disclosure requests):
/// its field names and element ids, and after a refused decision, the answers kept and each
/// error on its field.
struct DecisionForm: Encodable {
    struct Choice: Encodable {
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

    init(decisionName: String, reasonName: String, decisionID: String, reasonID: String,
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
    func filled(from state: FormState) -> DecisionForm {
        var form = self
        form.decisionError = state.error(decisionID)
        form.reasonError = state.error(reasonID)
        form.reasonValue = state.values[reasonName] ?? ""
        for i in form.choices.indices { form.choices[i].checked = state.values[decisionName] == form.choices[i].value }
        return form
    }
}
