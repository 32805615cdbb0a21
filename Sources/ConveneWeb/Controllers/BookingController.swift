import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Step 2: booking the next free slot from the pack's calendar, shown with the due time;
/// rebooking or cancelling needs the service manager's recorded agreement (REQ-001-02).
enum BookingController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "booking", use: show)
        routes.post("discussions", ":id", "booking", use: submit)
        routes.post("discussions", ":id", "cancel", use: cancel)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussionForBooking(try req.uuid("id"))
        var state = FormState()
        let d = loaded.discussion
        state.values["format"] = d.meetingFormat.isEmpty ? "virtual" : d.meetingFormat
        state.values["details"] = d.meetingDetails
        state.values["chair"] = d.chairID?.slug ?? ""
        state.values["minuteTaker"] = d.minuteTakerID?.slug ?? ""
        if let t = d.teleconference {
            state.values["duration"] = String(t.durationMinutes)
            state.values["dialIn"] = t.dialIn
            state.values["accessCode"] = t.accessCode
        } else if loaded.pack.requestMessage?.teleconference == true {
            state.values["duration"] = String(loaded.pack.slots.lengthSeconds / 60)
        }
        return try await render(req, loaded, state: state)
    }

    static func render(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = [],
                       status: HTTPResponseStatus? = nil) async throws -> Response
    {
        let options = try await Operations.bookingOptions(req.lifecycle, loaded, calendarID: UUID(uuidString: state.values["calendar"] ?? ""))
        let page = BookingPage(loaded, options, state: state)
        let title = loaded.discussion.stage == .booked ? "Rearrange or cancel" : "Book the \(loaded.pack.meetingName)"
        return try await req.page("booking", title: title,
                                  page, errors: errors, backLink: SiteURL.discussion(loaded.id).path, status: status)
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let loaded = try await req.discussionForBooking(try req.uuid("id"))
        let form = try FormData(req)
        var checks = FieldChecks()
        let custom = form["slot"] == "custom"
        let start = custom ? form.dateTime("custom", label: "Another time", &checks) : RFC3339.parse(form["slot"])
        let rebooking = loaded.discussion.stage == .booked
        do {
            try checks.finish()
            try await Operations.book(req.lifecycle, loaded, .init(
                start: start, custom: custom, format: form["format"], details: form["details"],
                chairID: UUID(uuidString: form["chair"]), minuteTakerID: UUID(uuidString: form["minuteTaker"]),
                agreedBy: UUID(uuidString: form["agreedBy"]), reason: form["reason"],
                lateAgreedBy: UUID(uuidString: form["lateAgreedBy"]), lateReason: form["lateReason"],
                calendarID: UUID(uuidString: form["calendar"]), durationMinutes: Int(form["duration"].trimmed),
                dialIn: form["dialIn"], accessCode: form["accessCode"]),
                expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            let fresh = try await req.discussionForBooking(loaded.id)
            return try await render(req, fresh, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        } catch let LifecycleError.conflict(message, field?) {
            let fresh = try await req.discussionForBooking(loaded.id)
            let errors = [InputError(field: field, message)]
            return try await render(req, fresh, state: FormState(form: form, errors: errors), errors: errors)
        }
        return req.redirect(to: SiteURL.discussion(loaded.id).path + "?done=" + (rebooking ? "rebooked" : "booked"))
    }

    @Sendable static func cancel(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .rebookOrCancel)
        let form = try FormData(req)
        do {
            try await Operations.cancel(req.lifecycle, loaded, agreedBy: UUID(uuidString: form["cancelAgreedBy"]), reason: form["cancelReason"],
                                        expectedVersion: form.expectedVersion())
        } catch let failure as ValidationFailure {
            return try await render(req, loaded, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.discussion(loaded.id).path + "?done=cancelled")
    }
}
