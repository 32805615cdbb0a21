import Vapor

func routes(_ app: Application) throws {
    app.get("healthz") { _ in "ok" }
    PrintMarkingController.register(app)
    app.get { req -> Response in
        req.redirect(to: req.currentUser == nil ? SiteURL.signIn.path : SiteURL.myWork.path)
    }
    SignInController.register(app)
    OIDCSignInController.register(app)
    AccessLinkController.register(app)
    ExtractController.register(app)
    try APIRoutes.register(app)
    let signedIn = app.grouped(RequireSignIn())
    MyWorkController.register(signedIn)
    TeamController.register(signedIn)
    FindController.register(signedIn)
    PerformanceController.register(signedIn)
    PacksController.register(signedIn)
    RequestController.register(signedIn)
    DiscussionController.register(signedIn)
    DecisionController.register(signedIn)
    BookingController.register(signedIn)
    InvitationsController.register(signedIn)
    AttendanceController.register(signedIn)
    MeetingController.register(signedIn)
    ChildDecisionsController.register(signedIn)
    ActionsController.register(signedIn)
    RecordController.register(signedIn)
    MinutesController.register(signedIn)
    CaseController.register(signedIn)
    OutcomeController.register(signedIn)
    ObservationController.register(signedIn)
    AccountController.register(signedIn)
    NotificationsController.register(signedIn)
    CalendarController.register(signedIn)
    AdminController.register(signedIn)
    AdminDirectoryController.register(signedIn)
    AuditController.register(signedIn)
    DisclosureController.register(signedIn)
}

/// Everything but sign-in, the personal access links and the assets needs a signed-in person;
/// someone signed in with a temporary password may only change it (issue 9).
struct RequireSignIn: AsyncMiddleware {
    static let allowedWithTemporaryPassword: Set<String> = ["/account", "/account/password", "/sign-out", "/sign-out-everywhere"]

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = try req.requireUser()
        if user.mustChangePassword && !Self.allowedWithTemporaryPassword.contains(req.url.path) {
            if req.method == .GET || req.method == .HEAD { return req.redirect(to: SiteURL.account.path) }
            throw Abort(.forbidden, reason: "Change your temporary password first.")
        }
        return try await next.respond(to: req)
    }
}
