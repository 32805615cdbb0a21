import ConveneAPI
import ConveneCore
import Foundation
import Vapor

/// The procedure engine with exactly the command line's JSON contract (docs/cli.md): the
/// question is read by `Contract.decode`, so a mistake is named as the CLI names it
/// (`events[2].at`), and the answer is the CLI's own output type, field for field.
extension APIHandler {
    func getOpenAPIDocument(_ input: APIOperations.GetOpenAPIDocument.Input) async throws
        -> APIOperations.GetOpenAPIDocument.Output
    {
        .ok(.init(body: .json(document)))
    }

    struct PacksOutput: Encodable {
        let packs: [PackSummary]
    }

    func listPacks(_ input: APIOperations.ListPacks.Input) async throws -> APIOperations.ListPacks.Output {
        let req = try APIContext.current()
        _ = try req.requireUser()
        let answer = PacksOutput(packs: req.convene.packs.packs.map(PackSummary.init))
        return .ok(.init(body: .json(try Self.bridge(answer))))
    }

    func evaluateTimescales(_ input: APIOperations.EvaluateTimescales.Input) async throws
        -> APIOperations.EvaluateTimescales.Output
    {
        let (req, pack) = try Self.engine(input.path.packId)
        let question = try Contract.decode(TimescalesInput.self, from: try APIContext.body())
        // Without `asOf`, "now" is the server's clock (the CLI uses the machine's).
        let asOf = question.asOf ?? req.now
        let duties = TimescaleEngine(pack: pack).evaluate(question.timeline, asOf: asOf, overrides: question.overrides)
        return .ok(.init(body: .json(try Self.bridge(TimescalesOutput(pack: pack, asOf: asOf, duties: duties)))))
    }

    func evaluateSlots(_ input: APIOperations.EvaluateSlots.Input) async throws -> APIOperations.EvaluateSlots.Output {
        let (_, pack) = try Self.engine(input.path.packId)
        let question = try Contract.decode(SlotsInput.self, from: try APIContext.body())
        let offer: SlotOffer
        do {
            offer = try SlotEngine(pack: pack).nextFree(question.request)
        } catch {
            // As the CLI reports it: no slot can follow this request.
            throw InputError(field: "requestedAt", error.description)
        }
        return .ok(.init(body: .json(try Self.bridge(SlotsOutput(pack: pack, offer: offer)))))
    }

    func evaluateAttendance(_ input: APIOperations.EvaluateAttendance.Input) async throws
        -> APIOperations.EvaluateAttendance.Output
    {
        let (_, pack) = try Self.engine(input.path.packId)
        let question = try Contract.decode(AttendanceInput.self, from: try APIContext.body())
        let answer = AttendanceEngine(pack: pack).evaluate(try question.validated(for: pack))
        return .ok(.init(body: .json(try Self.bridge(AttendanceOutput(pack: pack, answer: answer)))))
    }

    /// The signed-in caller and the pack named in the path.
    static func engine(_ packID: String) throws -> (Request, ProcedurePack) {
        let req = try APIContext.current()
        _ = try req.requireUser()
        guard let pack = req.convene.packs.pack(packID) else {
            throw Abort(.notFound, reason: "There is no procedure pack \"\(packID)\"; GET /api/v1/packs lists them.")
        }
        return (req, pack)
    }

    /// The CLI's output types are the contract; the document's schemas describe them. Passing
    /// the CLI's JSON through the generated type keeps one encoder of the answer, not two.
    static func bridge<Answer: Decodable>(_ output: some Encodable, as type: Answer.Type = Answer.self) throws -> Answer {
        try JSONDecoder().decode(Answer.self, from: Contract.encode(output, pretty: false))
    }
}
