import ConveneAPI
import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// API tokens: signing in (`TokenSignIn`) and revoking the token in use.
extension APIHandler {
    func createToken(_ input: APIOperations.CreateToken.Input) async throws -> APIOperations.CreateToken.Output {
        let req = try APIContext.current()
        guard case let .json(body) = input.body else { throw Abort(.unsupportedMediaType) }
        let (token, expiresAt) = try await TokenSignIn.signIn(req, .init(email: body.email, password: body.password,
                                                                          code: body.code, name: body.name))
        return .created(.init(body: .json(.init(token: token, expiresAt: expiresAt))))
    }

    func revokeCurrentToken(_ input: APIOperations.RevokeCurrentToken.Input) async throws
        -> APIOperations.RevokeCurrentToken.Output
    {
        let req = try APIContext.current()
        _ = try req.requireUser()
        guard let bearer = req.headers.bearerAuthorization else {
            throw ValidationFailure(InputError(field: "", "Send the token to revoke as Authorization: Bearer …"))
        }
        try await Operations.revokeToken(req.lifecycle, token: bearer.token)
        return .noContent(.init())
    }
}
