import Foundation
import Testing

/// The `convene` command as a user runs it: JSON in on stdin, JSON out, exit 0; bad input
/// exits 2 with one line of JSON on stderr naming the field. Every example in `examples/`
/// (documented in docs/cli.md) must still give its recorded answer.
@Suite("convene CLI")
struct CLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("convene")

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], stdin: String) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    static var examples: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("examples").path)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".out.json") }.sorted()
    }

    @Test("There are examples for every engine command")
    func examplesExist() {
        for command in ["timescales", "slots", "attendance"] {
            #expect(Self.examples.contains { $0.hasPrefix(command + ".") }, "no example for \(command)")
        }
    }

    @Test("Each example in examples/ gives its recorded answer", arguments: examples)
    func example(name: String) throws {
        let parts = name.split(separator: ".")
        let directory = Self.repository.appendingPathComponent("examples")
        let input = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        let expected = try String(contentsOf: directory.appendingPathComponent(name.replacingOccurrences(of: ".json", with: ".out.json")),
                                  encoding: .utf8)
        let result = try Self.run([String(parts[0]), "--pack", String(parts[1])], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == expected)
    }

    @Test("convene packs lists the five packs with their seeds")
    func packs() throws {
        let result = try Self.run(["packs"], stdin: "")
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let packs = json?["packs"] as? [[String: Any]] ?? []
        #expect(packs.compactMap { $0["id"] as? String }.sorted() == ["bradford", "devon-mash", "front-door", "hertfordshire", "north-yorkshire"])
        #expect(packs.allSatisfy { $0["seed"] is String && $0["name"] is String })
    }

    @Test("Bad input exits 2 with one line of JSON naming the field", arguments: [
        (["timescales", "--pack", "bradford"], "{not json", ""),
        (["timescales", "--pack", "atlantis"], #"{"events":[]}"#, "pack"),
        (["timescales", "--pack", "bradford"], #"{"events":[{"type":"meeting","at":"2026-12-24T09:00:00Z"}]}"#, "events[0].type"),
        (["timescales", "--pack", "bradford"], #"{"events":[{"type":"concern-received","at":"2026-12-24T09:00:00Z"},{"type":"icpc-held"}]}"#, "events[1].at"),
        (["timescales", "--pack", "bradford"], #"{"events":[{"type":"request-made","at":"2026-12-24T09:00:00Z","urgency":"other","agreedDue":"2026-12-29T09:00:00Z"}]}"#, "events[0].rationale"),
        (["timescales"], #"{"events":[]}"#, "pack"),
        (["slots", "--pack", "hertfordshire"], #"{"requestedAt":"tomorrow"}"#, "requestedAt"),
        (["slots", "--pack", "hertfordshire"], #"{"requestedAt":"2026-12-24T09:00:00Z","urgency":"asap"}"#, "urgency"),
        (["attendance", "--pack", "bradford"], #"{"concerns":["sexual-abuze"]}"#, "concerns[0]"),
        (["attendance", "--pack", "bradford"], #"{"attendees":[{"role":"officer"}]}"#, "attendees[0].agency"),
        (["attendance", "--pack", "bradford"], "", ""),
        (["attendance", "--pack", "bradford"], "[1,2,3]", ""),
    ])
    func badInput(arguments: [String], stdin: String, field: String) throws {
        let result = try Self.run(arguments, stdin: stdin)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [String: String])
        #expect(json["field"] == field)
        #expect(!(json["error"] ?? "").isEmpty)
        #expect(!result.stderr.contains("Fatal error"))
    }
}

/// `convene seed` then `convene audit verify` on a real SQLite file: intact, then with one
/// byte of an audit entry changed on disk (ASVS-5.0-16.4.2).
@Suite("convene audit verify")
struct AuditVerifyCLITests {
    static func run(_ arguments: [String]) throws -> CLITests.Result {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CONVENE_BCRYPT_COST"] = "4"
        environment["DATABASE_URL"] = nil
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLITests.Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                               stderr: String(decoding: err, as: UTF8.self))
    }

    @Test("ASVS-5.0-16.4.2: audit verify passes an intact trail and exits 1 naming the entry after a row is altered on disk")
    func detectsAlteredRow() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convene-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = "sqlite:" + directory.appendingPathComponent("audit.sqlite").path

        let seeded = try Self.run(["seed", "--discussions", "12", "--database", database])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let intact = try Self.run(["audit", "verify", "--database", database])
        #expect(intact.status == 0, "\(intact.stdout) \(intact.stderr)")
        #expect(intact.stdout.contains("Audit trail intact"))

        // The seed's own entry says "12 synthetic discussions": make it say 13, in place.
        let file = directory.appendingPathComponent("audit.sqlite")
        var bytes = try Data(contentsOf: file)
        let needle = Data("12 synthetic discussions".utf8)
        let found = try #require(bytes.range(of: needle), "the audit entry was not found in the database file")
        bytes[found.lowerBound + 1] = UInt8(ascii: "3")
        try bytes.write(to: file)

        let tampered = try Self.run(["audit", "verify", "--database", database])
        #expect(tampered.status == 1, "\(tampered.stdout) \(tampered.stderr)")
        #expect(tampered.stdout.contains("TAMPERED"), "\(tampered.stdout)")
    }

    @Test("Issue 9: the key and the signed checkpoints live beside the file, and a wiped trail fails verification")
    func wipedTrailFound() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convene-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("wiped.sqlite").path
        let seeded = try Self.run(["seed", "--discussions", "3", "--database", path])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let key = try String(contentsOfFile: path + "-keys/master.key", encoding: .utf8)
        #expect(key.trimmingCharacters(in: .whitespacesAndNewlines).count == 64)
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "-keys/master.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let log = try String(contentsOfFile: path + "-checkpoints/checkpoints.jsonl", encoding: .utf8)
        #expect(log.contains("\"signature\""))

        // The database's owner wipes the trail and resets the head, with sqlite3.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", path, "DELETE FROM audit_entries; UPDATE audit_head SET seq = 0, hash = '"
            + String(repeating: "0", count: 64) + "';"]
        try sqlite.run()
        sqlite.waitUntilExit()
        try #require(sqlite.terminationStatus == 0, "sqlite3 is needed for this test")
        let verified = try Self.run(["audit", "verify", "--database", path])
        #expect(verified.status == 1, "\(verified.stdout) \(verified.stderr)")
        #expect(verified.stdout.contains("wiped"), "\(verified.stdout)")

        // Without the key nothing is verified, and no key is made up.
        try FileManager.default.removeItem(atPath: path + "-keys/master.key")
        let keyless = try Self.run(["audit", "verify", "--database", path])
        #expect(keyless.status != 0)
        #expect(!FileManager.default.fileExists(atPath: path + "-keys/master.key"))
    }
}

/// Issue 16: `convene admin create` for an authority that exists on another pack is refused.
@Suite("convene admin create")
struct AdminCreateCLITests {
    @Test("REQ-001-01 packs: admin create --pack for an authority on another pack exits 2 naming the pack, and creates nobody")
    func refusesOtherPack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convene-admin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = "sqlite:" + directory.appendingPathComponent("admin.sqlite").path
        let migrated = try AuditVerifyCLITests.run(["migrate", "--database", database])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let first = try AuditVerifyCLITests.run(["admin", "create", "--database", database, "--organisation", "Northtown",
                                                 "--pack", "bradford", "--name", "Ada", "--email", "ada@northtown.example"])
        #expect(first.status == 0, "\(first.stderr)")
        let again = try AuditVerifyCLITests.run(["admin", "create", "--database", database, "--organisation", "Northtown",
                                                 "--pack", "hertfordshire", "--name", "Bo", "--email", "bo@northtown.example"])
        #expect(again.status == 2, "\(again.stdout) \(again.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(again.stderr.utf8)) as? [String: String])
        #expect(json["field"] == "pack")
        #expect(json["error"]?.contains("bradford") == true)
        let same = try AuditVerifyCLITests.run(["admin", "create", "--database", database, "--organisation", "Northtown",
                                                "--pack", "bradford", "--name", "Bo", "--email", "bo@northtown.example"])
        #expect(same.status == 0, "\(same.stderr)")
    }
}
