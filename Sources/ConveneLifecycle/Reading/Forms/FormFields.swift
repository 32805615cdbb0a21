import ConveneCore
import Foundation

/// A text field as the templates draw it: label, hint, value and its own error message.
public struct FieldContext: Encodable, Sendable {
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

    public init(id: String, name: String, label: String, hint: String, value: String, error: String) {
        self.id = id
        self.name = name
        self.label = label
        self.hint = hint
        self.value = value
        self.error = error
    }

    public func with(type: String? = nil, width: String? = nil, autocomplete: String? = nil, rows: Int? = nil,
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

public struct OptionContext: Encodable, Sendable {
    let value: String
    let label: String
    let hint: String
    let checked: Bool

    public init(value: String, label: String, hint: String, checked: Bool) {
        self.value = value
        self.label = label
        self.hint = hint
        self.checked = checked
    }
}

/// Radios or checkboxes with a legend.
public struct ChoiceContext: Encodable, Sendable {
    let id: String
    let name: String
    let legend: String
    let hint: String
    let options: [OptionContext]
    let error: String
    public var inline = false
    public var small = false
    /// Legend size: `l`, `m`, `s`.
    public var legendSize = "s"

    public init(id: String, name: String, legend: String, hint: String, options: [OptionContext], error: String) {
        self.id = id
        self.name = name
        self.legend = legend
        self.hint = hint
        self.options = options
        self.error = error
    }

    /// The same choices on one line (yes or no).
    public func inlined() -> ChoiceContext {
        var copy = self
        copy.inline = true
        return copy
    }
}

/// A GOV.UK date input (day, month, year) with an optional time.
public struct DateFieldContext: Encodable, Sendable {
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
