import Bookkeeping
import Foundation
import Receivables
import PostgresBook
import SQLiteBook
import TestBooks

extension Engine: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}

import Testing

/// A book with its use cases, and shorthands for writing test histories.
struct TestBook {
    let storage: any BookStorage
    /// Who acts: the operator unless a test says otherwise; a fixed clock for the audit trail.
    var caller = Caller(principal: .commandLine, now: { "2026-11-22T00:00:00Z" })
    var billing: Billing { Billing(storage: storage, caller: caller) }
    var cash: Cash { Cash(storage: storage, caller: caller) }
    var reports: Reports { Reports(storage: storage, caller: caller) }

    init(_ engine: Engine = .default) throws { storage = try engine.makeStorage() }

    /// The same book used by someone else.
    func acting(as principal: Principal) -> TestBook {
        var other = self
        other.caller = Caller(principal: principal, now: caller.now)
        return other
    }

    static func cny(_ text: String) -> Money { (try? Money.parse(text, currency: .cny)) ?? .zero(.cny) }
    static func day(_ text: String) -> Day { (try? Day.parse(text)) ?? Day(ordinal: 0) }

    @discardableResult
    func customer(_ code: String, terms: String = "net 30", currency: Currency = .cny) async throws -> Customer.ID {
        try await billing.addCustomer(Customer(code: Customer.Code(code), name: "Customer \(code)", currency: currency,
                                               terms: PaymentTerms.parse(terms)))
    }

    @discardableResult
    func invoice(_ number: String, _ customer: String, _ issue: String, _ amount: String, due: String? = nil) async throws -> StoredInvoice {
        try await billing.issueInvoice(InvoiceDraft(number: DocumentNumber(number), customer: Customer.Code(customer),
                                                    issue: Self.day(issue), amount: Self.cny(amount), due: due.map(Self.day)))
    }

    @discardableResult
    func receipt(_ reference: String, _ customer: String, _ day: String, _ amount: String,
                 _ application: ReceiptApplication = .advance, method: PaymentMethod = .bankTransfer) async throws -> StoredCredit {
        try await cash.recordReceipt(Receipt(reference: DocumentNumber(reference), customer: Customer.Code(customer),
                                             day: Self.day(day), amount: Self.cny(amount), method: method),
                                     application: application)
    }

    func aging(_ asOf: String, basis: AgingBasis = .due) async throws -> AgingReport {
        try await reports.aging(.init(asOf: Self.day(asOf), basis: basis))
    }

    /// Fails the test unless `check` passes.
    func expectTiesOut(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let report = try await BookCheck(storage: storage, caller: caller).run()
        #expect(report.findings == [], sourceLocation: sourceLocation)
    }

    func openOn(_ number: String) async throws -> Int64 {
        let stored = try await storage.read { try $0.invoice(number: DocumentNumber(number)) }
        guard let stored else { return -1 }
        return try await storage.read { try $0.openItems(invoice: stored.id) }.reduce(0) { $0 + $1.open.minorUnits }
    }
}

extension AgingReport {
    func row(_ code: String) -> Row? { rows.first { $0.code.rawValue == code } }
}

