import ConveneCore
import Foundation

// Benchmark: timeline evaluations per second on one core.
// Target (issue 12): at least 1,000,000 evaluations a second over 10,000 generated timelines.
// Run with: swift run -c release convene-bench [--timelines N] [--rounds R]

/// SplitMix64: a tiny seeded generator so every run evaluates the same timelines.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func argument(_ name: String, default value: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let n = Int(args[i + 1]) else { return value }
    return n
}

/// A realistic case history: a concern, maybe immediate action, a request, one to three
/// discussions with outcomes, minutes, and sometimes an s47 completion and an ICPC.
func makeTimeline(_ rng: inout SplitMix64) -> Timeline {
    let start = Date(timeIntervalSince1970: 1_735_689_600 + Double(rng.next() % (3 * 365 * 86_400)))
    var t = start
    func later(_ maxHours: UInt64) -> Date {
        t = t.addingTimeInterval(Double(600 + rng.next() % (maxHours * 3600)))
        return t
    }
    var events: [TimelineEvent] = [.concernReceived(at: t)]
    if rng.next() % 3 == 0 { events.append(.immediateAction(at: later(4))) }
    let urgency: Urgency = [.immediate, .standard, .standard, .other][Int(rng.next() % 4)]
    let requestAt = later(6)
    events.append(.requestMade(at: requestAt, urgency: urgency,
                               agreedDue: urgency == .other ? requestAt.addingTimeInterval(72 * 3600) : nil,
                               rationale: urgency == .other ? "agreed" : nil))
    let outcomes = DiscussionOutcome.allCases
    for i in 0..<Int(1 + rng.next() % 3) {
        let id = "d\(i + 1)"
        let held = later(i == 0 ? 30 : 300)
        events.append(.discussionHeld(HeldDiscussion(
            id: id, at: held, faceToFace: rng.next() % 2 == 0, outcome: outcomes[Int(rng.next() % UInt64(outcomes.count))],
            furtherDiscussionBy: rng.next() % 3 == 0 ? held.addingTimeInterval(10 * 86_400) : nil,
            ladoReferralNeeded: rng.next() % 5 == 0)))
        events.append(.actionSummaryIssued(at: later(2), discussion: id))
        if rng.next() % 4 != 0 { events.append(.minutesAuthorised(at: later(20), discussion: id)) }
        if rng.next() % 4 != 0 { events.append(.minutesCirculated(at: later(30), discussion: id)) }
    }
    if rng.next() % 3 == 0 { events.append(.ladoReferralMade(at: later(30))) }
    if rng.next() % 2 == 0 {
        let required = rng.next() % 2 == 0
        events.append(.s47Completed(at: later(200), icpcRequired: required))
        if required && rng.next() % 2 == 0 { events.append(.icpcHeld(at: later(200))) }
    }
    if rng.next() % 3 == 0 { events.append(.assessmentCompleted(at: later(900))) }
    let facts = CaseFacts(type: rng.next() % 2 == 0 ? .newReferral : .openCase, complex: rng.next() % 5 == 0,
                          immediateConcerns: rng.next() % 4 == 0)
    return Timeline(facts: facts, events: events)
}

let count = argument("--timelines", default: 10_000)
let rounds = argument("--rounds", default: 10)
let library = try PackLibrary.builtIn()
var rng = SplitMix64(state: 20_261_123)
let timelines = (0..<count).map { _ in makeTimeline(&rng) }
let engines = library.packs.map { TimescaleEngine(pack: $0) }
let asOf = Date(timeIntervalSince1970: 1_830_000_000)

print("convene-bench: timescale engine, \(count) generated timelines x \(engines.count) packs, \(rounds) rounds, one core")
// Warm-up: fills the bank-holiday tables and caches outside the timed runs.
var duties = 0
for engine in engines { duties += engine.evaluate(timelines[0], asOf: asOf).count }

var best = 0.0
for round in 1...rounds {
    let clock = ContinuousClock()
    var produced = 0
    let elapsed = clock.measure {
        for engine in engines {
            for timeline in timelines {
                produced += engine.evaluate(timeline, asOf: asOf).count
            }
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(count * engines.count) / seconds
    best = max(best, rate)
    print(String(format: "round %2d: %8.0f evaluations/s (%d duties, %.3f s)", round, rate, produced, seconds))
}
print(String(format: "best: %.0f evaluations/s; target 1000000 evaluations/s: %@", best, best >= 1_000_000 ? "MET" : "NOT MET"))
