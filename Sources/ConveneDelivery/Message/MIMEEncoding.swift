import ConveneCore
import Foundation

/// The encodings that keep a message 7-bit clean, so any relay can carry it without
/// 8BITMIME or SMTPUTF8: quoted-printable and base64 bodies (RFC 2045 §6), encoded-words in
/// headers (RFC 2047), and header folding (RFC 5322 §2.2.3).
enum MIMEEncoding {
    /// RFC 5322 §2.1.1 recommends lines of at most 78 characters.
    static let headerLineLimit = 78
    /// RFC 2045 §6.7 (5): encoded lines are at most 76 characters.
    static let encodedLineLimit = 76

    /// Quoted-printable text with CRLF line breaks. Line breaks in the text stay hard
    /// breaks; longer lines get soft breaks (`=`), never inside an `=XX` escape, and a
    /// space or tab ending a line is escaped so no relay can strip it.
    static func quotedPrintable(_ text: String) -> String {
        var out: [String] = []
        for line in lines(of: text) {
            let bytes = Array(line.utf8)
            var current = ""
            for (i, byte) in bytes.enumerated() {
                let isLast = i == bytes.count - 1
                let token: String
                switch byte {
                case 33...60, 62...126: token = String(UnicodeScalar(byte))
                case 32, 9: token = isLast ? escape(byte) : String(UnicodeScalar(byte))
                default: token = escape(byte)
                }
                // Room for the token and a soft break after it, unless it ends the line.
                let room = isLast ? encodedLineLimit : encodedLineLimit - 1
                if current.count + token.count > room {
                    out.append(current + "=")
                    current = ""
                }
                current += token
            }
            out.append(current)
        }
        return out.joined(separator: "\r\n")
    }

    private static func escape(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "=" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
    }

    /// The text's lines, whatever mix of CRLF, CR and LF separates them.
    static func lines(of text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Base64 in lines of 76 characters, CRLF between them.
    static func base64(_ bytes: [UInt8]) -> String {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [Substring] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: encodedLineLimit, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[start..<end])
            start = end
        }
        return lines.joined(separator: "\r\n")
    }

    static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    }

    /// RFC 2047 encoded-words (`=?utf-8?B?…?=`) for text that is not plain ASCII. Each
    /// word is at most 75 characters and holds whole characters, so a client that decodes
    /// words one by one never sees half a UTF-8 sequence.
    static func encodedWords(_ text: String) -> [String] {
        // 75 - "=?utf-8?B?".count - "?=".count = 63 base64 characters: 45 bytes at most.
        let maxBytes = 45
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if !chunk.isEmpty && chunk.count + bytes.count > maxBytes {
                words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
        }
        return words
    }

    /// Unstructured text (a Subject) as header tokens: its words when it is plain ASCII,
    /// encoded-words otherwise, or when a word is too long to fold or could be mistaken
    /// for an encoded-word.
    static func unstructuredTokens(_ text: String) -> [String] {
        let oneLine = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        let words = oneLine.split(separator: " ").map(String.init)
        if isPlainASCII(oneLine) && !oneLine.contains("=?") && words.allSatisfy({ $0.count < 70 }) {
            return words
        }
        return encodedWords(oneLine.trimmed)
    }

    /// A mailbox (`Name <address>`) as header tokens; the name is quoted when it holds
    /// characters with a meaning in an address, encoded when it is not plain ASCII.
    static func mailboxTokens(_ mailbox: MailAddress) -> [String] {
        guard !mailbox.name.isEmpty else { return ["<\(mailbox.address)>"] }
        let name = mailbox.name
        let nameTokens: [String]
        if !isPlainASCII(name) || name.contains("=?") {
            nameTokens = encodedWords(name)
        } else if name.contains(where: { "()<>[]:;@\\,.\"".contains($0) }) {
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            nameTokens = ["\"\(escaped)\""]
        } else {
            nameTokens = name.split(separator: " ").map(String.init)
        }
        return nameTokens + ["<\(mailbox.address)>"]
    }

    /// `Name: token token …`, folded with CRLF + space before a token that would pass 78
    /// characters. Folding only where the header already has a space keeps the value the
    /// same once unfolded.
    static func header(_ name: String, _ tokens: [String]) -> String {
        var lines: [String] = []
        var current = name + ":"
        for token in tokens where !token.isEmpty {
            if current.count + 1 + token.count > headerLineLimit && current.count > name.count + 1 {
                lines.append(current)
                current = " " + token
            } else {
                current += " " + token
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// `Mon, 30 Mar 2026 09:00:00 +0000` (RFC 5322 §3.3), in UTC so it needs no zone rules.
    static func date(_ instant: Date) -> String {
        let t = Int(instant.timeIntervalSince1970.rounded(.down))
        let day = LocalDate(dayNumber: t >= 0 ? t / 86_400 : (t - 86_399) / 86_400)
        let seconds = t - day.dayNumber * 86_400
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekdays[day.weekday - 1]), \(day.day) \(months[day.month - 1]) \(day.year) "
            + "\(RFC3339.pad2(seconds / 3600)):\(RFC3339.pad2(seconds / 60 % 60)):\(RFC3339.pad2(seconds % 60)) +0000"
    }
}
