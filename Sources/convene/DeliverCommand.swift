import ArgumentParser
import ConveneWeb
import Foundation

/// `convene deliver`: the reminders and the delivery worker on their own (issue 11), for
/// installations that run `serve` with `CONVENE_DELIVERY=off`, or to send what is due once
/// from a timer.
struct DeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Write due reminders and send the outbox (CONVENE_SMTP_URL, CONVENE_NOTIFY_API_KEY, else the log).")

    @OptionGroup var db: DatabaseOption

    @Flag(help: "Send what is due now, then stop.")
    var once = false

    func run() async throws {
        var options = try db.options()
        options.mail = try MailSettings.fromEnvironment()
        try await ConveneServer.deliver(options: options, once: once)
    }
}
