import CSV
import Foundation
import Vapor

/// Rows of text written as an RFC 4180 CSV file (CRLF line ends, quoted where needed) with
/// CSV.swift, for a spreadsheet: UTF-8 with a byte-order mark so Excel reads names with
/// accents, and every cell that a spreadsheet would run as a formula (starting =, +, -, @,
/// a tab or a carriage return) prefixed with an apostrophe (OWASP "CSV injection").
enum CSVDocument {
    static func data(_ rows: [[String]]) throws -> Data {
        let writer = try CSVWriter(stream: .toMemory(), newline: .crlf)
        for row in rows {
            try writer.write(row: row.map(neutralised))
        }
        writer.stream.close()
        guard let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw Abort(.internalServerError, reason: "the CSV could not be written")
        }
        return Data([0xEF, 0xBB, 0xBF]) + data + Data("\r\n".utf8)
    }

    static func neutralised(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        return "'" + cell
    }

    /// A download: `filename` is ours (letters, digits, dashes), never the user's text.
    static func response(_ rows: [[String]], filename: String) throws -> Response {
        let response = Response(status: .ok, body: .init(data: try data(rows)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
