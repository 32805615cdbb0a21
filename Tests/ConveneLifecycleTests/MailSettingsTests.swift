import ConveneCore
import ConveneLifecycle
import Foundation
import Testing

/// Issue 11: the mail settings from the environment; a wrong value stops the start naming the variable.
@Suite("Mail settings (issue 11)")
struct MailSettingsTests {
    func field(_ env: [String: String]) -> String? {
        do {
            _ = try MailSettings.fromEnvironment(env)
            return nil
        } catch {
            return error.field.description
        }
    }

    @Test("Defaults: the log transport, in-process, every 5 seconds, a 5-minute lease")
    func defaults() throws {
        let settings = try MailSettings.fromEnvironment([:])
        #expect(settings.transportName == "log" && settings.inProcess && settings.interval == 5 && settings.lease == 300)
        let configured = try MailSettings.fromEnvironment([
            "CONVENE_SMTP_URL": "smtp://relay.example:25?starttls=off", "CONVENE_MAIL_FROM": "Northtown <convene@northtown.example>",
            "CONVENE_DELIVERY": "off", "CONVENE_DELIVERY_SECONDS": "0.5", "CONVENE_DELIVERY_LEASE_SECONDS": "60",
        ])
        #expect(configured.transportName == "smtp" && !configured.inProcess && configured.interval == 0.5 && configured.lease == 60)
        #expect(configured.from.address == "convene@northtown.example")
    }

    @Test("Each wrong value is refused naming its variable, never a crash", arguments: [
        (["CONVENE_SMTP_URL": "smtp://relay.example:99999"], "CONVENE_SMTP_URL.port"),
        (["CONVENE_SMTP_URL": "ftp://relay.example"], "CONVENE_SMTP_URL.scheme"),
        (["CONVENE_MAIL_FROM": "not an address"], "CONVENE_MAIL_FROM"),
        (["CONVENE_NOTIFY_API_KEY": "short"], "CONVENE_NOTIFY_API_KEY"),
        (["CONVENE_DELIVERY": "sometimes"], "CONVENE_DELIVERY"),
        (["CONVENE_DELIVERY_SECONDS": "0"], "CONVENE_DELIVERY_SECONDS"),
        (["CONVENE_DELIVERY_SECONDS": "often"], "CONVENE_DELIVERY_SECONDS"),
        (["CONVENE_DELIVERY_SECONDS": "nan"], "CONVENE_DELIVERY_SECONDS"),
        (["CONVENE_DELIVERY_LEASE_SECONDS": "1e99"], "CONVENE_DELIVERY_LEASE_SECONDS"),
    ])
    func refused(env: [String: String], expected: String) {
        #expect(field(env) == expected)
    }
}
