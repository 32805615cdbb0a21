import ArgumentParser
import ConveneCore
import Foundation

struct PacksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "packs", abstract: "List the procedure packs: id, name and source seed.")

    func run() throws {
        let library = try CLIOutput.library()
        CLIOutput.print(PacksOutput(packs: library.packs.map(PackSummary.init)))
    }
}

struct PacksOutput: Encodable {
    let packs: [PackSummary]
}

struct TimescalesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timescales",
        abstract: "Every duty of a case timeline with its due instant, status and rule (JSON on stdin).")

    @Option(help: "The procedure pack id, e.g. bradford.")
    var pack: String

    func run() throws {
        let pack = try CLIOutput.pack(pack)
        let input = try Contract.decode(TimescalesInput.self, from: try CLIOutput.readStandardInput())
        let asOf = input.asOf ?? Date()
        let duties = TimescaleEngine(pack: pack).evaluate(input.timeline, asOf: asOf, overrides: input.overrides)
        CLIOutput.print(TimescalesOutput(pack: pack, asOf: asOf, duties: duties))
    }
}

struct SlotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slots", abstract: "The next free slot for a request in the pack's calendar (JSON on stdin).")

    @Option(help: "The procedure pack id, e.g. hertfordshire.")
    var pack: String

    func run() throws {
        let pack = try CLIOutput.pack(pack)
        let input = try Contract.decode(SlotsInput.self, from: try CLIOutput.readStandardInput())
        do {
            let offer = try SlotEngine(pack: pack).nextFree(input.request)
            CLIOutput.print(SlotsOutput(pack: pack, offer: offer))
        } catch {
            throw InputError(field: "requestedAt", error.description)
        }
    }
}

struct AttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "Who must attend this case, who is missing and whether the discussion is quorate (JSON on stdin).")

    @Option(help: "The procedure pack id, e.g. north-yorkshire.")
    var pack: String

    func run() throws {
        let pack = try CLIOutput.pack(pack)
        let input = try Contract.decode(AttendanceInput.self, from: try CLIOutput.readStandardInput())
        let answer = AttendanceEngine(pack: pack).evaluate(try input.validated(for: pack))
        CLIOutput.print(AttendanceOutput(pack: pack, answer: answer))
    }
}

struct RolesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles", abstract: "Print who may do what (the access policy table in docs/security.md).")

    func run() throws {
        print(AccessPolicy.table())
    }
}
