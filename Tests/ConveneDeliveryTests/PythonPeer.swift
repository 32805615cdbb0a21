import Foundation
import Testing

/// Python, which the tests use for the real peers: aiosmtpd, a Notify stand-in, and the
/// `email` and `icalendar` packages as a mail client would read what Convene sent.
/// `.ci/run` installs the packages, and so does `available` if it can; a machine where neither
/// can skips these tests (saying why).
enum Python {
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// python3 with aiosmtpd and icalendar, installed with pip on first use when missing (so
    /// `swift test` sets up its own peers on a new machine, as `.ci/run` does).
    static let available: Bool = {
        guard let python = executable else { return false }
        func hasPackages() -> Bool { (try? run(python, ["-c", "import aiosmtpd, icalendar"])) != nil }
        if hasPackages() { return true }
        _ = try? run(python, ["-m", "pip", "install", "--quiet", "aiosmtpd", "icalendar"])
        return hasPackages()
    }()

    static let missing: Comment = "python3 with aiosmtpd and icalendar is needed for the SMTP, Notify and calendar tests (.ci/run installs them)"

    /// A script under `Support/`, found from this file's place in the source tree.
    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/\(name)").path
    }

    /// Runs a script to completion and decodes the JSON it prints.
    static func json<T: Decodable>(_ type: T.Type, script name: String, _ arguments: [String]) throws -> T {
        let output = try run(executable ?? "python3", [script(name)] + arguments)
        return try JSONDecoder().decode(T.self, from: output)
    }

    /// Runs a program, returning its standard output; a non-zero exit is an error with its
    /// standard error, so a failing check says why.
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
        guard process.terminationStatus == 0 else {
            throw PeerError("\(program) \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return data
    }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A server written in Python, running for one test: started with a fresh directory for
/// what it receives, ready once it has written its port, stopped by closing its stdin
/// when the test lets go of it.
final class PythonPeer {
    let directory: URL
    private(set) var port = 0
    private let readyFile: URL
    private let process: Process
    private let input: Pipe

    /// Starts the script and waits (without holding a thread: the test pool has two) until
    /// it has written its port.
    static func start(_ script: String, _ arguments: [String]) async throws -> PythonPeer {
        let peer = try PythonPeer(script: script, arguments)
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: peer.readyFile.path) {
            guard peer.process.isRunning, Date() < deadline else {
                let text = (try? String(contentsOf: peer.directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
                throw PeerError("\(script) did not start: \(text)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let port = Int(try String(contentsOf: peer.readyFile, encoding: .utf8)) else {
            throw PeerError("\(script) wrote no port")
        }
        peer.port = port
        return peer
    }

    private init(script: String, _ arguments: [String]) throws {
        directory = Scratch.directory()
        let ready = directory.appendingPathComponent("ready")
        readyFile = ready
        process = Process()
        process.executableURL = URL(fileURLWithPath: Python.executable ?? "python3")
        process.arguments = [Python.script(script), "--dir", directory.path, "--ready-file", ready.path] + arguments
        input = Pipe()
        process.standardInput = input
        let log = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    /// The files the server kept, by extension, in the order they arrived.
    func received(_ ext: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix("." + ext) }
            .sorted { (Int($0.split(separator: ".")[0]) ?? 0) < (Int($1.split(separator: ".")[0]) ?? 0) }
            .map { directory.appendingPathComponent($0) }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Temporary directories for one test.
enum Scratch {
    static func directory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convene-delivery-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A self-signed certificate for 127.0.0.1 and localhost, made with openssl for this test
/// run, so the TLS tests need no certificate in the repository.
struct TestCertificate {
    let certificate: String
    let key: String

    static func make() throws -> TestCertificate {
        let dir = Scratch.directory()
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        _ = try Python.run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        return TestCertificate(certificate: cert, key: key)
    }
}
