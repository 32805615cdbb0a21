import Foundation
import Testing

/// `convene serve` killed with SIGKILL while it is delivering (issue 11): the messages it had
/// claimed stay `sending` under their lease; a new server sends every one of them once the
/// lease ends. Nothing is lost. (The one duplicate window, a kill between the mail server's
/// acceptance and the `sent` mark, is documented in docs/deploy.md and tested at the queue.)
/// The programs the kill test needs, found on PATH.
enum KillTestTools {
    static func find(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let python = find("python3")
    static let sqlite3 = find("sqlite3")
    static let available = python != nil && sqlite3 != nil
}

@Suite("convene serve: delivery survives kill -9", .enabled(if: KillTestTools.available, "needs python3 with aiosmtpd, and sqlite3"))
struct DeliveryKillTests {
    static let python = KillTestTools.python
    static let sqlite3 = KillTestTools.sqlite3
    static let smtpServer = CLITests.repository.appendingPathComponent("Tests/ConveneDeliveryTests/Support/smtp_server.py").path

    /// Starts the test SMTP server (`plain` or `silent`, which accepts connections and never answers).
    static func smtp(_ mode: String, in directory: URL) async throws -> (Process, Pipe, Int) {
        let dir = directory.appendingPathComponent("smtp-\(mode)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ready = dir.appendingPathComponent("ready")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python!)
        process.arguments = [smtpServer, "--dir", dir.path, "--ready-file", ready.path, "--mode", mode]
        let input = Pipe()
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<600 where !FileManager.default.fileExists(atPath: ready.path) { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(50))
        let port = try #require(Int(try String(contentsOf: ready, encoding: .utf8)))
        return (process, input, port)
    }

    static func serve(database: String, smtpPort: Int, port: Int) throws -> Process {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["serve", "--database", database, "--port", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        environment["CONVENE_SMTP_URL"] = "smtp://127.0.0.1:\(smtpPort)?starttls=off&timeout=60&helo=convene.test"
        environment["CONVENE_MAIL_FROM"] = "Convene <convene@northtown.example>"
        environment["CONVENE_DELIVERY_SECONDS"] = "0.2"
        environment["CONVENE_DELIVERY_LEASE_SECONDS"] = "2"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func sql(_ path: String, _ statement: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3!)
        process.arguments = [path, statement]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func waitFor(seconds: Double, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try condition()
    }

    @Test("Killed with SIGKILL holding 12 messages: after a restart every one is delivered, exactly once each")
    func killWhileDelivering() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convene-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("convene.sqlite").path
        #expect(try AuditVerifyCLITests.run(["migrate", "--database", "sqlite:" + path]).status == 0)
        for i in 0..<12 {
            _ = try Self.sql(path, """
                INSERT INTO outbox (id, organisation_id, kind, to_email, to_name, subject, body, status, attempts, message_id, created_at)
                VALUES ('\(UUID().uuidString)', '\(UUID().uuidString)', 'invitation', 'person\(i)@police.example', 'Person \(i)',
                        'Invitation SD-2026-00\(i)', 'Open it: http://127.0.0.1/x', 'queued', 0, 'kill-\(i)@northtown.example', \(1_764_000_000 + i))
                """)
        }
        // setup: a mail server that never answers, so the server is mid-delivery when killed
        let (silent, silentInput, silentPort) = try await Self.smtp("silent", in: directory)
        let port = Int.random(in: 20_000..<40_000)
        let first = try Self.serve(database: "sqlite:" + path, smtpPort: silentPort, port: port)
        #expect(try await Self.waitFor(seconds: 60) { try Self.sql(path, "SELECT count(*) FROM outbox WHERE status = 'sending'") == "12" })
        // Fluent keeps UUIDs as text in SQLite: the rows above read back as the worker's own would.
        // MUT: kill -9
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        try? silentInput.fileHandleForWriting.close()
        silent.terminate()
        #expect(try Self.sql(path, "SELECT count(*) FROM outbox WHERE status = 'sending'") == "12")

        // validate: a new server with a working mail server sends them all once the lease ends
        let (plain, plainInput, plainPort) = try await Self.smtp("plain", in: directory)
        let second = try Self.serve(database: "sqlite:" + path, smtpPort: plainPort, port: port + 1)
        defer {
            second.terminate()
            second.waitUntilExit()
            try? plainInput.fileHandleForWriting.close()
            plain.waitUntilExit()
        }
        #expect(try await Self.waitFor(seconds: 60) { try Self.sql(path, "SELECT count(*) FROM outbox WHERE status = 'sent'") == "12" })
        let received = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("smtp-plain").path)
            .filter { $0.hasSuffix(".eml") }
        #expect(received.count == 12)
        let ids = try received.map { try String(contentsOf: directory.appendingPathComponent("smtp-plain/\($0)"), encoding: .utf8) }
            .compactMap { $0.split(separator: "\r\n").first { $0.lowercased().hasPrefix("message-id:") } }
        #expect(Set(ids).count == 12)
        #expect(try Self.sql(path, "SELECT min(attempts) FROM outbox") == "2")
    }
}
