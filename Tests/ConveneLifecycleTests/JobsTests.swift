import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Synchronization
import Testing

/// A job that counts its runs.
struct CountingJob: LifecycleJob {
    final class Runs: Sendable {
        let count = Mutex(0)
    }

    let runs = Runs()
    var name: String { "counting" }
    var interval: TimeInterval { 0.05 }
    var runsAtStop: Bool { true }

    func run(_ ctx: LifecycleContext) async throws {
        runs.count.withLock { $0 += 1 }
    }
}

struct FailingJob: LifecycleJob {
    struct Failure: Error {}
    var name: String { "failing" }
    var interval: TimeInterval { 3600 }

    func run(_ ctx: LifecycleContext) async throws { throw Failure() }
}

@Suite("Background jobs: run once, or on their interval while started")
struct JobsTests {
    @Test("runOnce runs every job and reports the first failure after the others ran")
    func runOnce() async throws {
        try await LifecycleWorld.run { world in
            let counting = CountingJob()
            let jobs = LifecycleJobs([FailingJob(), counting]) { world.ctx(nil) }
            await #expect(throws: FailingJob.Failure.self) { try await jobs.runOnce() }
            #expect(counting.runs.count.withLock { $0 } == 1)
        }
    }

    @Test("Started, a job runs at once and on its interval; stopping runs the jobs that run at stop")
    func startStop() async throws {
        try await LifecycleWorld.run { world in
            let counting = CountingJob()
            let jobs = LifecycleJobs([counting]) { world.ctx(nil) }
            try await jobs.start()
            try await Task.sleep(nanoseconds: 300_000_000)
            await jobs.stop()
            let runs = counting.runs.count.withLock { $0 }
            #expect(runs >= 3)
            try await Task.sleep(nanoseconds: 150_000_000)
            #expect(counting.runs.count.withLock { $0 } == runs, "no run after stop")
        }
    }

    @Test("Issue 9: the audit checkpoint job writes a signed checkpoint of the chain's head")
    func checkpoint() async throws {
        try await LifecycleWorld.run { world in
            _ = try await world.request()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convene-jobs-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let checkpoints = AuditCheckpoints(directory: directory)
            let jobs = LifecycleJobs(LifecycleJobs.installation(checkpoints: checkpoints, checkpointInterval: 10)) { world.ctx(nil) }
            #expect(jobs.jobs.map(\.name) == ["audit checkpoint"])
            try await jobs.runOnce()
            let written = try checkpoints.read()
            #expect(written.count == 1)
            let verification = try await AuditTrail.verify(on: world.db, checkpoints: written)
            #expect(verification.ok)
            #expect(LifecycleJobs.installation(checkpoints: nil, checkpointInterval: 10).isEmpty)
        }
    }
}
