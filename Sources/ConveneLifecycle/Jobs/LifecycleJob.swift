import Foundation

/// Background work the procedure needs without anyone asking: checkpointing the audit trail
/// now; sending the outbox, reminders and oversight figures as they come. A job is one small
/// type: its name, how often it runs, and one run that does whatever is due at the context's
/// `now`. `convene serve` runs every job in-process (`LifecycleJobs`); `convene jobs` runs
/// them from the command line, once or continuously.
public protocol LifecycleJob: Sendable {
    /// For logs and `convene jobs`: "audit checkpoint".
    var name: String { get }
    /// Seconds between two runs.
    var interval: TimeInterval { get }
    /// Runs once more when the process stops (the last checkpoint, so nothing written before
    /// the stop is left outside one). Default: no.
    var runsAtStop: Bool { get }
    /// Runs once when the jobs start, before the process serves (the first checkpoint).
    /// Default: yes; delivery and reminders do not hold up the start (a slow mail server).
    var runsAtStart: Bool { get }
    /// One run. A failure is logged and the job runs again at its next interval.
    func run(_ ctx: LifecycleContext) async throws
}

extension LifecycleJob {
    public var runsAtStop: Bool { false }
    public var runsAtStart: Bool { true }
}
