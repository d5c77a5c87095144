import Interchange
import Receivables

/// The company's profile (letterhead, bank account): read by anyone who reads the book, changed by an
/// administrator, every change in the audit trail.
public struct CompanySettings: Sendable {
    let storage: any BookStorage
    let caller: Caller

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    public func profile() async throws -> CompanyProfile {
        try caller.principal.require(.readBook)
        return try await storage.read { try $0.settings().company }
    }

    /// Stores `profile`; each field at most `CompanyProfile.fieldLengthMax` characters, without control characters.
    public func save(_ profile: CompanyProfile) async throws {
        for field in CompanyProfile.Field.allCases {
            let value = profile[field]
            guard value.count <= CompanyProfile.fieldLengthMax else {
                throw BookError.invalid(field: field.rawValue, reason: "at most \(CompanyProfile.fieldLengthMax) characters")
            }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw BookError.invalid(field: field.rawValue, reason: "no control characters")
            }
        }
        try await storage.writing(caller, .manageUsers) { writer in
            var settings = writer.settings
            let before = settings.company
            guard before != profile else { return }
            settings.company = profile
            try writer.tx.saveSettings(settings)
            let json = { (company: CompanyProfile) in
                JSONText.object(CompanyProfile.Field.allCases.map { ($0.rawValue, JSONText.string(company[$0])) })
            }
            try writer.audit("update", "setting", key: "company", before: json(before), after: json(profile))
        }
    }
}
