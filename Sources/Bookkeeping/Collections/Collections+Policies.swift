import Interchange
import Receivables

/// A dunning policy as the policy page lists it: its definition (stored, or the built-in one's) and the
/// categories that follow it.
public struct PolicySummary: Sendable {
    public let name: String
    public let definition: String
    public let categories: [String]
    public let levels: [DunningLevel]
    /// True for the built-in policy no stored definition replaces.
    public let builtIn: Bool
}

/// A customer on credit hold (停止供货), since when.
public struct HeldCustomer: Sendable {
    public let code: Customer.Code
    public let name: String
    public let since: Day
}

extension Collections {
    /// Every policy, the built-in default first unless a stored one replaces it.
    public func policies() async throws -> [PolicySummary] {
        try caller.principal.require(.readBook)
        return try await storage.read { reader in
            let currency = try reader.settings().currency
            let (definitions, categories) = try reader.dunningPolicies()
            var summaries: [PolicySummary] = []
            if definitions["default"] == nil {
                let standard = DunningPolicy.standard(in: currency)
                summaries.append(PolicySummary(name: "default", definition: PolicyDefinition.json(of: standard),
                                               categories: categories.filter { $0.value == "default" }.keys.sorted(), levels: standard.levels,
                                               builtIn: true))
            }
            for (name, text) in definitions.sorted(by: { $0.key < $1.key }) {
                let levels = (try? PolicyDefinition.policy(from: text, currency: currency))?.levels ?? []
                summaries.append(PolicySummary(name: name, definition: text, categories: categories.filter { $0.value == name }.keys.sorted(),
                                               levels: levels, builtIn: false))
            }
            return summaries
        }
    }

    /// The customers on credit hold that the caller sees, longest held first.
    public func holds() async throws -> [HeldCustomer] {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let held = try reader.heldCustomers()
            guard !held.isEmpty else { return [] }
            let directory = try reader.customerDirectory()
            return held.compactMap { id, since -> HeldCustomer? in
                guard let summary = directory[id], principal.sees(summary) else { return nil }
                return HeldCustomer(code: summary.code, name: summary.name, since: since)
            }.sorted { ($0.since, $0.code) < ($1.since, $1.code) }
        }
    }
}

extension Collections {
    /// The shares (percent of the book's customers) above which a run's holds or hand-overs to legal
    /// wait for a manager's approval.
    public func gateShares() async throws -> (holds: Int, legal: Int) {
        try caller.principal.require(.readBook)
        return try await storage.read { reader in
            let settings = try reader.settings()
            return (settings.dunningHoldShareMax, settings.dunningLegalShareMax)
        }
    }

    /// Sets those shares (0 to 100; nil leaves one as it is), in the audit trail.
    public func setGateShares(holds: Int?, legal: Int?) async throws {
        for (field, value) in [("hold_share", holds), ("legal_share", legal)] {
            if let value, !(0...100).contains(value) { throw BookError.invalid(field: field, reason: "a percentage from 0 to 100") }
        }
        try await storage.writing(caller, .configureCollections) { writer in
            var settings = writer.settings
            let before = (settings.dunningHoldShareMax, settings.dunningLegalShareMax)
            if let holds { settings.dunningHoldShareMax = holds }
            if let legal { settings.dunningLegalShareMax = legal }
            guard (settings.dunningHoldShareMax, settings.dunningLegalShareMax) != before else { return }
            try writer.tx.saveSettings(settings)
            try writer.audit("update", "setting", key: "dunning_gate", before: .object([("hold_share", .int(Int64(before.0))), ("legal_share", .int(Int64(before.1)))]),
                             after: .object([("hold_share", .int(Int64(settings.dunningHoldShareMax))), ("legal_share", .int(Int64(settings.dunningLegalShareMax)))]))
        }
    }
}

