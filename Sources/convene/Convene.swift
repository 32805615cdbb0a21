import ArgumentParser
import ConveneCore
import Foundation

/// `convene`: the engines on the command line (JSON in on stdin, JSON out on stdout) and the
/// web application (`convene serve`). Bad input exits 2 with one line of JSON on stderr.
@main
struct Convene: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convene",
        abstract: "Multi-agency child-protection strategy discussions, run by each authority's procedure.",
        subcommands: [
            ServeCommand.self, PacksCommand.self, TimescalesCommand.self, SlotsCommand.self, AttendanceCommand.self,
            MigrateCommand.self, SeedCommand.self, AuditCommand.self, RetentionCommand.self, AdminCommand.self, RolesCommand.self,
            OversightCommand.self, DeliverCommand.self,
        ])

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as InputError {
            CLIOutput.fail(error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch let error as ExitCode {
            // A command's own verdict (audit verify's 1 for a broken chain), already explained.
            exit(withError: error)
        } catch {
            if exitCode(for: error) == .success {
                exit(withError: error)
            }
            let message = Convene.message(for: error)
            let field = message.contains("--pack") ? "pack" : ""
            CLIOutput.fail(InputError(field: FieldPath(field), message))
        }
    }
}

enum CLIOutput {
    /// One line of JSON on stderr and exit status 2 (the CLI's contract for bad input).
    static func fail(_ error: InputError) -> Never {
        let line = Contract.encode(CLIError(error: error.message, field: error.field.description), pretty: false)
        FileHandle.standardError.write(line + Data("\n".utf8))
        Foundation.exit(2)
    }

    static func print<T: Encodable>(_ value: T) {
        FileHandle.standardOutput.write(Contract.encode(value) + Data("\n".utf8))
    }

    static func readStandardInput() throws(InputError) -> Data {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw InputError(field: "", "no input: send the JSON on standard input (see docs/cli.md)")
        }
        return data
    }

    static func library() throws(InputError) -> PackLibrary {
        let extra = ProcessInfo.processInfo.environment["CONVENE_PACKS_DIR"].map { URL(fileURLWithPath: $0) }
        do {
            return try PackLibrary.load(extraDirectory: extra)
        } catch {
            throw InputError(field: FieldPath("packs"), error.description)
        }
    }

    static func pack(_ id: String) throws(InputError) -> ProcedurePack {
        let library = try library()
        guard let pack = library.pack(id) else {
            throw InputError(field: "pack", "unknown pack \"\(id)\"; known packs: "
                + library.packs.map(\.id).joined(separator: ", "))
        }
        return pack
    }
}

struct CLIError: Encodable {
    let error: String
    let field: String
}
