import Bookkeeping
import Foundation
import Hummingbird
import Receivables

/// The company's profile: the letterhead of printed letters and the bank account customers pay to.
extension Pages {
    static let settingsRoutes: [Route<Pages>] = [
        Route(.get, "settings", .manageUsers, Pages.settingsForm), Route(.post, "settings", .manageUsers, Pages.saveSettings),
    ]

    @Sendable func settingsForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let company = try await CompanySettings(storage: storage, caller: caller).profile()
        return settingsPage(request, context: context, values: Dictionary(uniqueKeysWithValues: CompanyProfile.Field.allCases.map { ($0.rawValue, company[$0]) }),
                            form: nil)
    }

    func settingsPage(_ request: Request, context: AppRequestContext, values: [String: String], form: FormState?) -> Response {
        renderer.page("settings", title: "settings", request: request, context: context, content: SettingsView(values: form?.values ?? values),
                      form: form, status: form == nil ? .ok : .unprocessableContent)
    }

    @Sendable func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: Limits.requestBytesMax))
        let values = FormBody.fields(body)
        var profile = CompanyProfile()
        for field in CompanyProfile.Field.allCases { profile[field] = (values[field.rawValue] ?? "").trimmed }
        return try await Self.refusedAgain("settings", values: values, fields: Set(CompanyProfile.Field.allCases.map(\.rawValue)), request: request) {
            try await CompanySettings(storage: storage, caller: caller).save(profile)
            return Self.back(to: "/settings?done=settings_saved")
        } again: { state in
            settingsPage(request, context: context, values: values, form: state)
        }
    }
}

/// The company profile form.
struct SettingsView {
    let values: [String: String]
}
