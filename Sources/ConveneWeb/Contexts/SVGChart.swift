import Foundation

/// Charts drawn on the server as SVG (issue 13): no JavaScript, a title and a description that
/// assistive technology reads (`role="img"`, `aria-labelledby`), colours from the stylesheet
/// (classes, no inline styles), and every text escaped. Pages put the data table beside each
/// chart, so the chart is never the only way to read the figures.
struct SVGChart: Sendable {
    /// One bar: its label, its length, and (for stacked columns) how much of it is highlighted.
    struct Bar: Sendable, Hashable {
        var label: String
        var value: Int
        var highlighted: Int

        init(label: String, value: Int, highlighted: Int = 0) {
            self.label = label
            self.value = value
            self.highlighted = highlighted
        }
    }

    enum Kind: Sendable {
        /// Horizontal bars with their labels and values: by team, by agency.
        case bars
        /// Narrow columns in time order, highlighted part at the bottom: the weekly trend.
        case columns
    }

    var id: String
    var title: String
    var description: String
    var kind: Kind
    var bars: [Bar]
    /// The value a full-length bar stands for (at least the largest value, at least 1).
    var scale: Int?

    var svg: String {
        switch kind {
        case .bars: barsSVG
        case .columns: columnsSVG
        }
    }

    private var top: Int { max(scale ?? 0, bars.map(\.value).max() ?? 0, 1) }

    private func open(width: Int, height: Int) -> String {
        let id = Self.escape(id)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cv-chart\" viewBox=\"0 0 \(width) \(height)\" "
            + "role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" focusable=\"false\">"
            + "<title id=\"\(id)-title\">\(Self.escape(title))</title><desc id=\"\(id)-desc\">\(Self.escape(description))</desc>"
    }

    private var barsSVG: String {
        let rowHeight = 28, labelWidth = 220, barSpace = 300, width = labelWidth + barSpace + 60
        let height = max(bars.count, 1) * rowHeight + 8
        var out = open(width: width, height: height)
        for (i, bar) in bars.enumerated() {
            let y = 4 + i * rowHeight
            let length = bar.value * barSpace / top
            let mark = bar.highlighted * barSpace / top
            out += "<text class=\"cv-chart__label\" x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\">"
                + Self.escape(Self.shorten(bar.label, to: 30)) + "</text>"
            out += "<rect class=\"cv-chart__bar\" x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(length)\" height=\"\(rowHeight - 10)\"/>"
            if bar.highlighted > 0 {
                out += "<rect class=\"cv-chart__bar cv-chart__bar--highlight\" x=\"\(labelWidth)\" y=\"\(y + 4)\" "
                    + "width=\"\(mark)\" height=\"\(rowHeight - 10)\"/>"
            }
            out += "<text class=\"cv-chart__value\" x=\"\(labelWidth + length + 6)\" y=\"\(y + 18)\">\(bar.value)</text>"
        }
        return out + "</svg>"
    }

    private var columnsSVG: String {
        let plotHeight = 160, left = 36, bottom = 24, step = 10
        let width = left + max(bars.count, 1) * step + 8, height = plotHeight + bottom + 8
        var out = open(width: width, height: height)
        let baseline = 8 + plotHeight
        out += "<line class=\"cv-chart__axis\" x1=\"\(left)\" y1=\"\(baseline)\" x2=\"\(width - 4)\" y2=\"\(baseline)\"/>"
        out += "<text class=\"cv-chart__value\" x=\"\(left - 6)\" y=\"16\" text-anchor=\"end\">\(top)</text>"
        out += "<text class=\"cv-chart__value\" x=\"\(left - 6)\" y=\"\(baseline)\" text-anchor=\"end\">0</text>"
        for (i, bar) in bars.enumerated() {
            let x = left + i * step + 1
            let h = bar.value * plotHeight / top, mark = bar.highlighted * plotHeight / top
            if h > 0 {
                out += "<rect class=\"cv-chart__bar\" x=\"\(x)\" y=\"\(baseline - h)\" width=\"\(step - 2)\" height=\"\(h)\"/>"
            }
            if mark > 0 {
                out += "<rect class=\"cv-chart__bar cv-chart__bar--highlight\" x=\"\(x)\" y=\"\(baseline - mark)\" "
                    + "width=\"\(step - 2)\" height=\"\(mark)\"/>"
            }
        }
        // The first and last columns' labels, so the time axis reads without the table.
        if let first = bars.first, let last = bars.last {
            out += "<text class=\"cv-chart__label\" x=\"\(left)\" y=\"\(baseline + 18)\">\(Self.escape(first.label))</text>"
            out += "<text class=\"cv-chart__label\" x=\"\(width - 4)\" y=\"\(baseline + 18)\" text-anchor=\"end\">"
                + Self.escape(last.label) + "</text>"
        }
        return out + "</svg>"
    }

    static func shorten(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    /// Text and attribute values for XML.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
