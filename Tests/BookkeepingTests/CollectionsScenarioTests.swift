import Bookkeeping
import Receivables
import Testing

/// 120 days of dunning over a small book, run day by day as `arbook serve` would, with what each day
/// must send and charge written out by hand from the standard policy (−3, +1, +15, +30 with a fee of
/// 50.00, +60 with a credit hold, +90 to legal; interest 0.05% a day after 7 days' grace).
@Suite struct CollectionsScenarioTests {
    static let start = TestBook.day("2026-01-01")
    static func day(_ offset: Int) -> Day { start.advanced(by: offset) }

    /// K1 pays nothing; K2 is exempt; K3 disputes its invoice from day 20 until the dispute is rejected on
    /// day 50; K4 promises on day 32 to pay by day 36 and does not; K5 pays in full on day 29. Every
    /// invoice is issued on day 0 and due on day 30. A late fee is due 7 days after the run that charges it.
    static let expected: [Int: [String]] = [
        27: ["K1 L1 F1", "K4 L1 F4", "K5 L1 F5"],  // K3 disputes its invoice since day 20
        31: ["K1 L2 F1", "K4 L2 F4"],
        37: ["K4 L3 F4"],                     // the promise broke on day 37: one level up at once
        45: ["K1 L3 F1"],
        50: ["K3 L3 F3"],                     // the dispute rejected: enters at the level its age reached
        60: ["K1 L4 F1", "K3 L4 F3", "K4 L4 F4"],
        64: ["K1 L1 LF@60", "K3 L1 LF@60", "K4 L1 LF@60"],
        68: ["K1 L2 LF@60", "K3 L2 LF@60", "K4 L2 LF@60"],
        82: ["K1 L3 LF@60", "K3 L3 LF@60", "K4 L3 LF@60"],
        90: ["K1 L5 F1", "K3 L5 F3", "K4 L5 F4"],
        94: ["K1 L1 LF@90", "K3 L1 LF@90", "K4 L1 LF@90"],
        97: ["K1 L4 LF@60", "K3 L4 LF@60", "K4 L4 LF@60"],
        98: ["K1 L2 LF@90", "K3 L2 LF@90", "K4 L2 LF@90"],
        112: ["K1 L3 LF@90", "K3 L3 LF@90", "K4 L3 LF@90"],
        120: ["K1 L6 F1", "K3 L6 F3", "K4 L6 F4"],
    ]

    /// Late fees charged (fee + interest, minor units), by customer and day.
    static let charged: [String: Int64] = [
        // Day 60: 50.00 + interest on days 38…60 (23 days): 10,000.00 → 115.00; 5,000.00 → 57.50; 8,000.00 → 92.00.
        "K1@60": 5_000 + 11_500, "K3@60": 5_000 + 5_750, "K4@60": 5_000 + 9_200,
        // Day 90: interest on days 38…90 (53) less what day 60 charged.
        "K1@90": 26_500 - 11_500, "K3@90": 13_250 - 5_750, "K4@90": 21_200 - 9_200,
        // Day 120: 83 days less the 53 charged.
        "K1@120": 41_500 - 26_500, "K3@120": 20_750 - 13_250, "K4@120": 33_200 - 21_200,
    ]

    func label(_ invoice: DocumentNumber) -> String {
        guard invoice.rawValue.hasPrefix("LF-") else { return invoice.rawValue }
        // LF-<customer>-<YYYY-MM-DD>-<level>
        let parts = invoice.rawValue.split(separator: "-")
        let issued = TestBook.day(parts[2...4].joined(separator: "-"))
        return "LF@\(Self.start.distance(to: issued))"
    }

    @Test func dayByDayTheRunSendsAndChargesExactlyWhatThePolicySays() async throws {
        let book = try TestBook()
        for code in ["K1", "K2", "K3", "K4", "K5"] { try await book.customer(code) }
        for (number, code, amount) in [("F1", "K1", "10000"), ("F2", "K2", "20000"), ("F3", "K3", "5000"), ("F4", "K4", "8000"),
                                       ("F5", "K5", "3000")] {
            try await book.invoice(number, code, Self.day(0).description, amount)
        }
        let collections = Collections(storage: book.storage, caller: book.caller)
        try await collections.exempt(Customer.Code("K2"), true)
        var charges: [String: Int64] = [:]
        var holdsReported: [String] = []
        for offset in 0...120 {
            let today = Self.day(offset)
            switch offset {
            case 20: _ = try await collections.openDispute(invoice: DocumentNumber("F3"), amount: nil, reason: "goods damaged", day: today)
            case 29: try await book.receipt("R5", "K5", today.description, "3000", .invoice(DocumentNumber("F5")))
            case 32: _ = try await collections.promise(customer: Customer.Code("K4"), invoice: nil, amount: "8000", made: today,
                                                       due: Self.day(36), note: "by Friday")
            case 50:
                let dispute = try #require(try await collections.disputes(status: .open).first)
                try await collections.closeDispute(dispute.id, resolved: false, creditNote: nil, amount: nil, day: today,
                                                   resolution: "delivery note signed without remarks")
            default: break
            }
            let planned = try await collections.plan(asOf: today)
            let outcome = try await collections.run(asOf: today, approve: true)
            #expect(outcome.notices == planned, "day \(offset): the run did what the plan showed")
            let sent = outcome.notices.flatMap { planned in
                planned.notice.lines.map { "\(planned.code) L\(planned.notice.level.number) \(label($0.invoice))" }
            }.sorted()
            #expect(sent == (Self.expected[offset] ?? []).sorted(), "day \(offset)")
            holdsReported += outcome.holds.map(\.rawValue)
            for planned in outcome.notices where planned.notice.charges.minorUnits > 0 {
                charges["\(planned.code)@\(offset)", default: 0] += planned.notice.charges.minorUnits
            }
            // Running the day again changes nothing.
            let again = try await collections.run(asOf: today, approve: true)
            #expect(again.alreadyRun && again.notices.isEmpty)
        }
        #expect(charges == Self.charged)
        #expect(holdsReported == ["K1", "K3", "K4"])
        // Each charge is a receivable of its own on fee income; the book ties out.
        #expect(try await book.openOn("LF-K1-2026-03-02-4") == 16_500)
        try await book.expectTiesOut()
        let held = { try await book.storage.read { try $0.collectionsProfiles() }.values.filter { $0.onHoldSince != nil }.count }
        #expect(try await held() == 3)
        try await collections.releaseHold(Customer.Code("K1"))
        #expect(try await held() == 2)
    }
}
