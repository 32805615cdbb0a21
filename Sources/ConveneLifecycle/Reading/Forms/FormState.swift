import ConveneCore
import Foundation

/// Builds field contexts from submitted values (or stored ones) and the errors of a submission.
public struct FormState: Sendable {
    public var values: [String: String]
    public var multi: [String: [String]]
    public var errors: [InputError]

    public init(values: [String: String] = [:], multi: [String: [String]] = [:], errors: [InputError] = []) {
        self.values = values
        self.multi = multi
        self.errors = errors
    }

    public init(form: FormData, errors: [InputError]) {
        values = form.values.mapValues { $0.last ?? "" }
        multi = form.values
        self.errors = errors
    }

    public func error(_ name: String) -> String {
        let id = FieldPath(name).htmlID
        return errors.first { $0.field.htmlID == id }?.message ?? ""
    }

    public func field(_ name: String, _ label: String, hint: String = "") -> FieldContext {
        FieldContext(id: FieldPath(name).htmlID, name: name, label: label, hint: hint, value: values[name] ?? "",
                     error: error(name))
    }

    public func radios(_ name: String, _ legend: String, hint: String = "", options: [(String, String)],
                       hints: [String: String] = [:]) -> ChoiceContext {
        let current = values[name] ?? ""
        return ChoiceContext(
            id: FieldPath(name).htmlID, name: name, legend: legend, hint: hint,
            options: options.map { OptionContext(value: $0.0, label: $0.1, hint: hints[$0.0] ?? "", checked: $0.0 == current) },
            error: error(name))
    }

    public func checkboxes(_ name: String, _ legend: String, hint: String = "", options: [(String, String)]) -> ChoiceContext {
        let current = Set(multi[name] ?? [])
        return ChoiceContext(
            id: FieldPath(name).htmlID, name: name, legend: legend, hint: hint,
            options: options.map { OptionContext(value: $0.0, label: $0.1, hint: "", checked: current.contains($0.0)) },
            error: error(name))
    }

    public func date(_ name: String, _ legend: String, hint: String = "", withTime: Bool = false) -> DateFieldContext {
        let errorText = [error(name), error(name + ".time")].first { !$0.isEmpty } ?? ""
        return DateFieldContext(
            id: FieldPath(name).htmlID, name: name, legend: legend, hint: hint, day: values[name + ".day"] ?? "",
            month: values[name + ".month"] ?? "", year: values[name + ".year"] ?? "", time: values[name + ".time"] ?? "",
            error: errorText, withTime: withTime)
    }

    /// Stores a date (and time) into the three (four) fields of a date input.
    public mutating func setDate(_ name: String, _ date: LocalDate?) {
        guard let date else { return }
        values[name + ".day"] = String(date.day)
        values[name + ".month"] = String(date.month)
        values[name + ".year"] = String(date.year)
    }

    public mutating func setDateTime(_ name: String, _ instant: Date?) {
        guard let instant else { return }
        let (date, seconds) = EuropeLondon.local(instant)
        setDate(name, date)
        values[name + ".time"] = RFC3339.pad2(seconds / 3600) + ":" + RFC3339.pad2(seconds / 60 % 60)
    }
}
