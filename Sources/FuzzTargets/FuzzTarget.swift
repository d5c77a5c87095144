import Bookkeeping
import Foundation
import Interchange
import Receivables
import RequestInput

/// What the fuzzer feeds untrusted bytes to: the parsers of money, days, terms and buckets, the CSV
/// reader of imports, and the API's JSON bodies with their field checks. Each target must never trap
/// on any input, and where a parse succeeds, what it parsed must survive a round trip through the
/// text arbook writes. `findings` names every broken promise; the fuzzer's entry traps on any, so that
/// libFuzzer keeps the input, and the tests expect none.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case values, csv, json

    /// The most bytes one input may have: the fuzzer's inputs stay small, and a CSV input is a file.
    public static let inputBytesMax = 64 * 1024

    /// Runs the input through the target: what broke, empty when every promise held.
    public func findings(_ bytes: [UInt8]) -> [String] {
        guard bytes.count <= Self.inputBytesMax else { return [] }
        var findings = Findings()
        switch self {
        case .values: Self.values(String(decoding: bytes, as: UTF8.self), &findings)
        case .csv: Self.csv(bytes, &findings)
        case .json: Self.json(bytes)
        }
        return findings.broken
    }

    struct Findings {
        var broken: [String] = []
        mutating func expect(_ condition: Bool, _ promise: @autoclosure () -> String) {
            if !condition { broken.append(promise()) }
        }
    }

    static let currencies = [Currency.cny, Currency(code: "JPY")!, Currency(code: "KWD")!]

    static func values(_ text: String, _ findings: inout Findings) {
        for currency in currencies {
            if let money = try? Money.parse(text, currency: currency) {
                findings.expect((try? Money.parse(money.decimalString, currency: currency)) == money, "money round trip: \(text)")
                findings.expect((try? Money.parse(money.groupedDecimalString, currency: currency)) == money, "grouped money: \(text)")
            }
        }
        if let day = try? Day.parse(text) {
            findings.expect((try? Day.parse(day.description)) == day, "day round trip: \(text)")
            findings.expect(Day.yearsParsed.contains(day.components.year), "day out of range: \(text)")
        }
        if let terms = try? PaymentTerms.parse(text) {
            findings.expect((try? PaymentTerms.parse(terms.description)) == terms, "terms round trip: \(text)")
        }
        if let buckets = try? AgingBuckets.parse(text) {
            findings.expect((try? AgingBuckets.parse(buckets.borders.map(String.init).joined(separator: ","))) == buckets, "buckets: \(text)")
        }
        _ = try? DocumentNumber(text).validate(field: "number")
        _ = Currency(code: text)
        _ = PaymentMethod(text: text)
    }

    /// Reads the bytes as an import file: every record, or the first error, whatever the encoding.
    static func csv(_ bytes: [UInt8], _ findings: inout Findings) {
        let path = NSTemporaryDirectory() + "arbook-fuzz-\(getpid()).csv"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let facts = try? FileFacts.examine(path: path, sizeMax: Int64(inputBytesMax)),
              let reader = try? CSVReader(path: path, facts: facts) else { return }
        var records = 0
        while let record = try? reader.next() {
            findings.expect(record.fields.count <= CSVReader.fieldsMax, "more fields than the limit")
            findings.expect(record.fields.allSatisfy { $0.utf8.count <= CSVReader.fieldBytesMax * 4 }, "a field past the limit")
            records += 1
            findings.expect(records <= bytes.count + 1, "more records than bytes")
            guard findings.broken.isEmpty else { return }
        }
    }

    static let customer = StoredCustomer(id: Customer.ID(1), customer: Customer(code: Customer.Code("K1"), name: "客户"))
    static let invoice = StoredInvoice(id: Invoice.ID(1), customer: Customer.ID(1), invoice: Invoice(
        stored: DocumentNumber("F1"), customer: Customer.Code("K1"), issue: Day(year: 2026, month: 1, day: 10)!,
        amount: Money(minorUnits: 100_000, currency: .cny), description: "", lines: [],
        schedule: [ScheduledPart(due: Day(year: 2026, month: 2, day: 9)!, amount: Money(minorUnits: 100_000, currency: .cny))], discount: nil))

    /// Decodes the bytes as each of the API's bodies and, where they decode, turns them into documents
    /// as the routes do: every refusal must be an error, never a trap.
    static func json(_ bytes: [UInt8]) {
        let data = Data(bytes)
        let decoder = JSONDecoder()
        if let body = try? decoder.decode(NewInvoiceBody.self, from: data) {
            _ = try? DocumentInput.invoice(number: body.number, customer: customer, issueDate: body.issue_date, dueDate: body.due_date,
                                           amount: body.amount, description: body.description)
            _ = try? DocumentInput.checkCurrency(body.currency, of: customer)
        }
        if let body = try? decoder.decode(NewReceiptBody.self, from: data) {
            _ = try? DocumentInput.receipt(reference: body.reference, customer: customer, date: body.date, amount: body.amount,
                                           method: body.method, invoice: body.invoice, memo: body.memo)
        }
        if let body = try? decoder.decode(CreditNoteBody.self, from: data) {
            _ = try? DocumentInput.creditNote(number: body.number, invoice: invoice, date: body.date, amount: body.amount, reason: body.reason)
        }
        if let body = try? decoder.decode(NewCustomerBody.self, from: data) {
            _ = try? Field.currency(body.currency)
            _ = try? Field.terms(body.payment_terms)
            _ = try? Customer(code: Customer.Code(body.code), name: body.name, email: body.email ?? "", phone: body.phone ?? "").validate()
            _ = body.credit_limit.map { try? Field.money($0, .cny, "credit_limit") }
        }
        if let body = try? decoder.decode(PromiseBody.self, from: data) {
            _ = try? Field.money(body.amount, .cny, "amount")
            _ = try? Field.day(body.due, "due")
        }
        if let body = try? decoder.decode(ReversalBody.self, from: data) { _ = try? Field.day(body.date, "date") }
        if let body = try? decoder.decode(DisputeBody.self, from: data) { _ = body.amount.map { try? Field.money($0, .cny, "amount") } }
        _ = try? decoder.decode(ActivityBody.self, from: data)
        _ = try? decoder.decode(AllocationBody.self, from: data)
    }
}
