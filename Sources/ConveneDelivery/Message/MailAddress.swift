import ConveneCore
import Foundation

/// A person's display name and email address, as used in From, To and Reply-To.
///
/// The address must be plain ASCII (`local@domain`): Convene does not ask servers for
/// SMTPUTF8, which not every relay in local government offers. The display name may be
/// any text; it is encoded for the header when it needs to be.
public struct MailAddress: Hashable, Sendable {
    public let name: String
    public let address: String

    /// Checks the address, so nothing that could break an SMTP command or a header (spaces,
    /// angle brackets, line breaks) ever reaches one.
    public init(name: String = "", address: String, field: FieldPath = "address") throws(InputError) {
        let address = address.trimmed
        guard let at = address.lastIndex(of: "@") else {
            throw InputError(field: field, "\(Self.quoted(address)) is not an email address: it has no @")
        }
        let local = address[..<at], domain = address[address.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty, domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."),
              !domain.contains("..") else {
            throw InputError(field: field, "\(Self.quoted(address)) is not an email address: expected name@domain.example")
        }
        guard address.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            throw InputError(field: field, "\(Self.quoted(address)) must be written in plain ASCII without spaces")
        }
        let forbidden: Set<Character> = ["<", ">", "(", ")", "[", "]", "\\", ",", ";", ":", "\""]
        guard !address.contains(where: forbidden.contains), !domain.contains("@") else {
            throw InputError(field: field, "\(Self.quoted(address)) has a character an email address cannot have")
        }
        self.address = address
        // Line breaks in a display name would end the header early; they become spaces.
        self.name = String(name.map { $0.isNewline ? " " : $0 }).trimmed
    }

    private static func quoted(_ text: String) -> String {
        "“" + String(text.prefix(100)) + "”"
    }
}
