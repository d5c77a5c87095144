import Bookkeeping
import Hummingbird

/// The one-time set-up page: while the book has no users, someone at the server itself (loopback
/// only) may create the first admin. Afterwards the page no longer exists.
extension Pages {
    struct SetupForm: Decodable {
        let name: String
        let password: String
        let password_again: String
    }

    private func setupAllowed(_ context: AppRequestContext) async throws {
        guard context.fromLoopback else {
            throw Problem(status: .forbidden, title: "Forbidden", detail: "the set-up page answers only on the server itself")
        }
        guard try await Users.needsFirstAdmin(storage: storage) else {
            throw Problem(status: .notFound, title: "Not found", detail: "the book has users already")
        }
    }

    @Sendable func setupForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setupAllowed(context)
        return setupPage(request, context: context, error: nil)
    }

    private func setupPage(_ request: Request, context: AppRequestContext, error: String?) -> Response {
        let token = Sessions.randomToken()
        var response = renderer.page("setup", title: "setup", request: request, context: context,
                                     content: SetupView(setupCSRF: token, error: error))
        response.setCookie(cookies.on(request).setupCSRF(token))
        return response
    }

    @Sendable func setup(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setupAllowed(context)
        var request = request
        let form = try await Self.form(SetupForm.self, from: &request)
        guard form.password == form.password_again else {
            return setupPage(request, context: context, error: UILanguage.of(request).strings["passwords_differ"])
        }
        do {
            _ = try await Users(storage: storage, caller: .commandLine, cost: passwordCost).add(name: form.name, displayName: form.name,
                                                                             password: form.password, role: .admin)
        } catch let error as BookError {
            return setupPage(request, context: context, error: error.description)
        }
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        response.setCookie(cookies.on(request).expired(SessionCookies.setupCSRF))
        return response
    }
}
