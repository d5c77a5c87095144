import Bookkeeping
import Interchange
import Receivables

/// Fills an empty book with a realistic history: a few hundred customers with mixed terms and
/// payment habits, two years of invoices to `today`, receipts on time and late, partial payments,
/// advances applied later, credit notes and overdue debt. Everything goes through the use cases,
/// so the demo book obeys every rule a real one does.
public struct DemoBook: Sendable {
    public struct Figures: Sendable, Equatable {
        public var customers = 0
        public var invoices = 0
        public var receipts = 0
        public var creditNotes = 0
    }

    let storage: any BookStorage
    let caller: Caller

    public init(storage: any BookStorage, caller: Caller) {
        self.storage = storage
        self.caller = caller
    }

    public func generate(today: Day, customers count: Int = 300, seed: UInt64 = 2026) async throws -> Figures {
        try await storage.writing(caller, .manageUsers) { base in
            var writer = base
            writer.auditsEachWrite = false
            var random = DemoRandom(seed: seed)
            var figures = Figures()
            for index in 1...count {
                var customer = Self.customer(index, &random)
                customer.creditLimit = Money(minorUnits: Int64(random.int(5...200)) * 1_000_000, currency: .cny)
                let id = try writer.addCustomer(customer)
                figures.customers += 1
                try Self.history(of: customer, id: id, writer: writer, today: today, random: &random, figures: &figures)
            }
            try writer.audit("generate", "demo", key: String(seed),
                             after: .object([("customers", .int(Int64(figures.customers))), ("invoices", .int(Int64(figures.invoices)))]))
            return figures
        }
    }

    static func customer(_ index: Int, _ random: inout DemoRandom) -> Customer {
        let trade = random.pick(DemoNames.trades)
        let form = random.pick(DemoNames.forms.filter { !$0.hasPrefix(trade.suffix(2)) })
        let name = random.pick(DemoNames.cities) + random.pick(DemoNames.words) + trade + form
        let termsText = random.pick(["net 30", "net 30", "net 30", "net 60", "net 45", "eom 30", "eom 60",
                                     "30%@0,70%@60", "net 30; 2%/10", "net 15"])
        let terms = (try? PaymentTerms.parse(termsText)) ?? .net(30)
        let category = random.pick(["VIP", "normal", "normal", "normal", "risk"])
        let code = "K" + String(index).leftPadded(5)
        return Customer(code: Customer.Code(code), name: name, terms: terms, category: category,
                        email: "ar\(index)@example.cn", phone: "021-6\(String(random.int(1_000_000...9_999_999)))")
    }

    /// Habit: 0 pays early or on time, 1 pays late, 2 pays very late or partly, 3 stopped paying.
    static func history(of customer: Customer, id: Customer.ID, writer: BookWriter, today: Day,
                        random: inout DemoRandom, figures: inout Figures) throws {
        let habit = random.pick([0, 0, 0, 1, 1, 2, 3])
        let start = today.advanced(by: -730)
        var day = start.advanced(by: random.int(0...40))
        var number = 0
        while day <= today {
            number += 1
            let invoiceNumber = DocumentNumber("INV-\(customer.code.rawValue)-\(String(number).leftPadded(4))")
            let amount = Money(minorUnits: Int64(random.int(800...180_000)) * 100 + Int64(random.int(0...99)), currency: .cny)
            let issued = try writer.issueInvoice(InvoiceDraft(number: invoiceNumber, customer: customer.code, issue: day,
                                                              amount: amount, description: "货款 \(day.year)-\(day.month)"),
                                                 customer: id, currency: .cny, terms: customer.terms)
            figures.invoices += 1
            if random.chance(3) {
                let credit = Money(minorUnits: amount.minorUnits / Int64(random.pick([2, 5, 10])), currency: .cny)
                _ = try writer.issueCreditNote(CreditNote(number: DocumentNumber("CN-\(invoiceNumber.rawValue)"), invoice: invoiceNumber,
                                                          day: day.advanced(by: random.int(3...20)).clamped(to: today),
                                                          amount: credit, reason: "退货"))
                figures.creditNotes += 1
            }
            try pay(issued, habit: habit, writer: writer, today: today, random: &random, figures: &figures)
            day = day.advanced(by: random.int(7...45))
        }
        if random.chance(15) {
            let advance = Money(minorUnits: Int64(random.int(10...300)) * 10_000, currency: .cny)
            _ = try writer.recordReceipt(Receipt(reference: DocumentNumber("ADV-\(customer.code.rawValue)"), customer: customer.code,
                                                 day: today.advanced(by: -random.int(1...20)), amount: advance,
                                                 method: random.pick([.bankTransfer, .wechatPay, .alipay]), memo: "预收货款"),
                                         customer: id, currency: .cny, application: .advance)
            figures.receipts += 1
        }
    }

    static func pay(_ invoice: StoredInvoice, habit: Int, writer: BookWriter, today: Day,
                    random: inout DemoRandom, figures: inout Figures) throws {
        let due = invoice.invoice.schedule.last?.due ?? invoice.invoice.issue
        let delay: Int
        switch habit {
        case 0: delay = random.int(-10...5)
        case 1: delay = random.int(0...40)
        case 2: delay = random.int(20...120)
        default: delay = invoice.invoice.issue < today.advanced(by: -300) ? random.int(0...60) : 10_000
        }
        let payDay = max(invoice.invoice.issue, due.advanced(by: delay))
        guard payDay <= today else { return }
        let open = try writer.tx.openItems(invoice: invoice.id).reduce(Int64(0)) { $0 + $1.open.minorUnits }
        guard open > 0 else { return }
        let partial = habit >= 2 && random.chance(40)
        let first = partial ? open * Int64(random.int(30...70)) / 100 : open
        let methods: [PaymentMethod] = [.bankTransfer, .bankTransfer, .bankTransfer, .acceptanceBill, .wechatPay, .alipay, .cheque]
        let reference = "RC-" + invoice.invoice.number.rawValue.dropFirst(4)
        _ = try writer.recordReceipt(Receipt(reference: DocumentNumber(reference), customer: invoice.invoice.customer, day: payDay,
                                             amount: Money(minorUnits: first, currency: .cny), method: random.pick(methods),
                                             invoice: invoice.invoice.number),
                                     customer: invoice.customer, currency: .cny, application: .invoice(invoice.invoice.number))
        figures.receipts += 1
        let restDay = payDay.advanced(by: random.int(15...60))
        if partial, restDay <= today, random.chance(60) {
            _ = try writer.recordReceipt(Receipt(reference: DocumentNumber(reference + "-2"), customer: invoice.invoice.customer,
                                                 day: restDay, amount: Money(minorUnits: open - first, currency: .cny),
                                                 method: .bankTransfer, invoice: invoice.invoice.number),
                                         customer: invoice.customer, currency: .cny, application: .invoice(invoice.invoice.number))
            figures.receipts += 1
        }
    }
}

extension Day {
    func clamped(to latest: Day) -> Day { min(self, latest) }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
