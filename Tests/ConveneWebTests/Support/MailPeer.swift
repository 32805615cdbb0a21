import Foundation
import Testing

/// The delivery tests' real SMTP server (aiosmtpd, `Tests/ConveneDeliveryTests/Support/smtp_server.py`)
/// and mail reader (`inspect_mail.py`, Python's `email` and `icalendar`), for the web tests
/// that send the outbox end to end (issue 11). `.ci/run` installs the Python packages.
final class MailPeer {
    static let python: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    static let available: Bool = {
        guard let python else { return false }
        return (try? run(python, ["-c", "import aiosmtpd, icalendar"])) != nil
    }()

    static let missing: Comment = "python3 with aiosmtpd and icalendar is needed for the delivery tests (.ci/run installs them)"

    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ConveneDeliveryTests/Support/\(name)").path
    }

    let directory: URL
    let port: Int
    private let process: Process
    private let input: Pipe

    /// Starts aiosmtpd on a free port (extra arguments: `--refuse ADDRESS`, `--drop-after-data`…).
    init(_ arguments: [String] = []) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("convene-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ready = directory.appendingPathComponent("ready")
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python ?? "/usr/bin/python3")
        process.arguments = [Self.script("smtp_server.py"), "--dir", directory.path, "--ready-file", ready.path] + arguments
        input = Pipe()
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: ready.path) {
            guard process.isRunning, Date() < deadline else { throw MailPeerError("the SMTP server did not start") }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(50))
        guard let port = Int(try String(contentsOf: ready, encoding: .utf8)) else { throw MailPeerError("the SMTP server wrote no port") }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The messages received, in order, as a mail client reads them.
    func received() throws -> [ReceivedMail] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".eml") }
            .sorted { (Int($0.split(separator: ".")[0]) ?? 0) < (Int($1.split(separator: ".")[0]) ?? 0) }
        return try names.map { name in
            let data = try Self.run(Self.python ?? "python3", [Self.script("inspect_mail.py"), directory.appendingPathComponent(name).path])
            return try JSONDecoder().decode(ReceivedMail.self, from: data)
        }
    }

    static func run(_ program: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw MailPeerError(String(decoding: errors, as: UTF8.self)) }
        return data
    }
}

/// What `inspect_mail.py` reports, the parts these tests read.
struct ReceivedMail: Decodable {
    struct Calendar: Decodable {
        var method: String
        var uid: String
        var sequence: Int
        var status: String
        var summary: String
    }

    var message_id: String
    var subject: String
    var to_address: String
    var text: String
    var reference: String?
    var calendar: Calendar?
}

struct MailPeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
