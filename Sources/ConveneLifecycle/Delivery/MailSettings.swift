import ConveneCore
import ConveneDelivery
import Foundation
import Logging

/// How Convene sends mail, from the environment (issue 11):
///
/// - `CONVENE_SMTP_URL=smtp://user:secret@relay.example:587` (see `SMTPConfiguration(url:)`),
/// - or `CONVENE_NOTIFY_API_KEY` with `CONVENE_NOTIFY_TEMPLATES=kind=template-id,…` (GOV.UK Notify),
/// - else the log transport, which sends nothing (development and `serve --demo`).
///
/// `CONVENE_MAIL_FROM` is the From address (`Northtown Children's Services <convene@northtown.gov.uk>`),
/// whose domain also ends each Message-ID. `CONVENE_DELIVERY=off` stops `serve` from sending
/// (another process runs `convene deliver`).
public struct MailSettings: Sendable {
    public enum Transport: Sendable {
        case smtp(SMTPConfiguration)
        case notify(NotifyConfiguration)
        case log
    }

    public var transport: Transport
    public var from: MailAddress
    /// `serve` runs the worker in-process unless this is false.
    public var inProcess: Bool
    /// Seconds between two looks at the outbox.
    public var interval: TimeInterval
    /// How long a claimed message is held before another worker may take it (`CONVENE_DELIVERY_LEASE_SECONDS`,
    /// default 300): well above the transports' time-outs, so a slow send is not sent twice.
    public var lease: TimeInterval = 300

    public init(transport: Transport = .log, from: MailAddress = MailSettings.defaultFrom, inProcess: Bool = true,
                interval: TimeInterval = 5) {
        self.transport = transport
        self.from = from
        self.inProcess = inProcess
        self.interval = interval
    }

    public static let defaultFrom = try! MailAddress(name: "Convene", address: "convene@localhost.localdomain")

    /// Reads the settings; a wrong value stops the start with the variable's name.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(InputError) -> MailSettings {
        var settings = MailSettings()
        if let from = env["CONVENE_MAIL_FROM"].flatMap({ $0.isEmpty ? nil : $0 }) {
            settings.from = try parseAddress(from)
        }
        if let url = env["CONVENE_SMTP_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            do {
                settings.transport = .smtp(try SMTPConfiguration(url: url))
            } catch {
                throw InputError(field: FieldPath("CONVENE_SMTP_URL").appending(error.field.description), error.message)
            }
        } else if let key = env["CONVENE_NOTIFY_API_KEY"].flatMap({ $0.isEmpty ? nil : $0 }) {
            let apiKey: NotifyAPIKey
            let templates: [MessageKind: String]
            do {
                apiKey = try NotifyAPIKey(key)
            } catch {
                throw InputError(field: "CONVENE_NOTIFY_API_KEY", error.message)
            }
            do {
                templates = try NotifyConfiguration.templates(parsing: env["CONVENE_NOTIFY_TEMPLATES"] ?? "")
            } catch {
                throw InputError(field: FieldPath("CONVENE_NOTIFY_TEMPLATES"), error.description)
            }
            var configuration = NotifyConfiguration(apiKey: apiKey, templates: templates)
            if let base = env["CONVENE_NOTIFY_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
                configuration.baseURL = base
            }
            settings.transport = .notify(configuration)
        }
        switch env["CONVENE_DELIVERY"] ?? "" {
        case "", "on": settings.inProcess = true
        case "off": settings.inProcess = false
        default: throw InputError(field: "CONVENE_DELIVERY", "must be on or off")
        }
        if let seconds = try seconds(env, "CONVENE_DELIVERY_SECONDS", 0.1...3600) { settings.interval = seconds }
        if let seconds = try seconds(env, "CONVENE_DELIVERY_LEASE_SECONDS", 1...86_400) { settings.lease = seconds }
        return settings
    }

    /// A number of seconds in `range`, or nil when the variable is unset; anything else names the variable.
    static func seconds(_ env: [String: String], _ name: String, _ range: ClosedRange<Double>) throws(InputError) -> Double? {
        guard let text = env[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw InputError(field: FieldPath(name), "must be a number of seconds from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())")
        }
        return value
    }

    /// `Name <address>` or a bare address.
    static func parseAddress(_ text: String) throws(InputError) -> MailAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            return try MailAddress(name: name, address: address, field: "CONVENE_MAIL_FROM")
        }
        return try MailAddress(address: trimmed, field: "CONVENE_MAIL_FROM")
    }

    /// The transport these settings name.
    public func makeTransport(logger: Logger) async throws -> any MessageTransport {
        switch transport {
        case let .smtp(configuration): try SMTPTransport(configuration)
        case let .notify(configuration): await NotifyTransport(configuration)
        case .log: LogTransport(logger: logger)
        }
    }

    public var transportName: String {
        switch transport {
        case .smtp: "smtp"
        case .notify: "notify"
        case .log: "log"
        }
    }
}
