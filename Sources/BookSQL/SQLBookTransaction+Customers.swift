import Bookkeeping
import Receivables

extension SQLBookTransaction {
    static var customerColumns: SQL { "id, code, name, currency, terms, credit_limit, category, email, phone, collector_user_id" }

    public func customer(code: Customer.Code) throws -> StoredCustomer? {
        try sql.row("SELECT \(Self.customerColumns) FROM customer WHERE code = \(code)", Self.customer(from:))
    }

    public func customer(id: Customer.ID) throws -> StoredCustomer? {
        try sql.row("SELECT \(Self.customerColumns) FROM customer WHERE id = \(id)", Self.customer(from:))
    }

    static func customer(from row: Executor.Row) throws -> StoredCustomer {
        let currency = try StoredTextParser.currency(row[3])
        let customer = Customer(code: try row[1], name: try row[2], currency: currency, terms: StoredTextParser.terms(try row[4]),
                                creditLimit: Money(minorUnits: try row[5], currency: currency),
                                category: try row[6], email: try row[7], phone: try row[8])
        return StoredCustomer(id: try row[0], customer: customer, collector: try row[9])
    }

    public func customerDirectory() throws -> [Customer.ID: CustomerSummary] {
        var directory: [Customer.ID: CustomerSummary] = [:]
        // Customers share a handful of currencies and terms: each distinct text is parsed once.
        var parser = StoredTextParser()
        try sql.stream("SELECT id, code, name, currency, terms, collector_user_id, credit_limit FROM customer") { row in
            let currency = try parser.currency(try row.text(3) ?? "")
            directory[Customer.ID(try row.int64(0))] = CustomerSummary(
                code: Customer.Code(try row.text(1) ?? ""), name: try row.text(2) ?? "", currency: currency,
                terms: parser.terms(try row.text(4) ?? ""), collector: try row.integer(5).map(User.ID.init),
                creditLimit: Money(minorUnits: try row.int64(6), currency: currency))
        }
        return directory
    }

    public func insertCustomer(_ customer: Customer) throws -> Customer.ID {
        Customer.ID(try store(.customer, DocumentRows.customer(customer)))
    }

    public func updateCustomer(id: Customer.ID, _ customer: Customer) throws {
        try sql.execute("""
            UPDATE customer SET name = \(customer.name), terms = \(customer.terms.description), credit_limit = \(customer.creditLimit.minorUnits),
                   category = \(customer.category), email = \(customer.email), phone = \(customer.phone)
            WHERE id = \(id)
            """)
    }

    public func assignCollector(customer: Customer.ID, user: User.ID?) throws {
        try sql.execute("UPDATE customer SET collector_user_id = \(user) WHERE id = \(customer)")
    }
}
