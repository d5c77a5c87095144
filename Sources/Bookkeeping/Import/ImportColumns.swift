/// What an import file holds.
public enum ImportKind: String, CaseIterable, Sendable {
    case customers
    case invoices
    case receipts

    /// The columns a file of this kind may have; `required` ones must be present.
    var columns: [ImportColumn] {
        switch self {
        case .customers: [.code, .name, .creditLimit, .termsDays, .terms, .currency, .category, .email, .phone]
        case .invoices: [.number, .customer, .issueDate, .dueDate, .amount, .currency, .description]
        case .receipts: [.reference, .customer, .date, .amount, .method, .invoice, .currency, .memo]
        }
    }

    var required: Set<ImportColumn> {
        switch self {
        case .customers: [.code, .name]
        case .invoices: [.number, .customer, .issueDate, .amount]
        case .receipts: [.reference, .customer, .date, .amount]
        }
    }
}

/// A column arbook understands, with the header names people give it in English and Chinese.
public enum ImportColumn: String, CaseIterable, Hashable, Sendable {
    case code, name, creditLimit = "credit_limit", termsDays = "payment_terms_days", terms = "payment_terms"
    case currency, category, email, phone
    case number, customer, issueDate = "issue_date", dueDate = "due_date", amount, description
    case reference, date, method, invoice, memo

    /// Header names (compared after lower-casing and dropping spaces, underscores and hyphens).
    var aliases: [String] {
        switch self {
        case .code: ["code", "customercode", "customerno", "customerid", "客户编码", "客户代码", "客户编号", "编码", "客户号"]
        case .name: ["name", "customername", "客户名称", "名称", "客户", "客户名"]
        case .creditLimit: ["creditlimit", "limit", "信用额度", "授信额度", "额度"]
        case .termsDays: ["paymenttermsdays", "termsdays", "paymentdays", "days", "账期天数", "账期(天)", "账期（天）", "信用天数", "付款天数"]
        case .terms: ["paymentterms", "terms", "账期", "付款条件", "结算方式"]
        case .currency: ["currency", "币种", "货币"]
        case .category: ["category", "class", "classification", "分类", "客户分类", "类别", "客户类别"]
        case .email: ["email", "mail", "邮箱", "电子邮件", "电子邮箱"]
        case .phone: ["phone", "tel", "telephone", "mobile", "电话", "联系电话", "手机"]
        case .number: ["number", "invoicenumber", "invoiceno", "invoice", "发票号", "发票号码", "发票编号", "单号"]
        case .customer: ["customer", "customercode", "customerno", "客户编码", "客户代码", "客户编号", "客户"]
        case .issueDate: ["issuedate", "date", "invoicedate", "issued", "开票日期", "发票日期", "日期"]
        case .dueDate: ["duedate", "due", "到期日", "到期日期", "应收日期"]
        case .amount: ["amount", "total", "grossamount", "金额", "价税合计", "含税金额", "收款金额", "发票金额"]
        case .description: ["description", "memo", "摘要", "备注", "说明"]
        case .reference: ["reference", "receiptno", "receiptnumber", "receipt", "ref", "收款单号", "单号", "收款编号", "流水号"]
        case .date: ["date", "receiptdate", "paymentdate", "收款日期", "日期", "到账日期"]
        case .method: ["method", "paymentmethod", "收款方式", "付款方式", "方式"]
        case .invoice: ["invoice", "invoicenumber", "invoiceno", "核销发票号", "发票号", "核销发票", "对应发票"]
        case .memo: ["memo", "description", "摘要", "备注", "说明"]
        }
    }

    /// The key a header is compared by.
    static func key(_ header: String) -> String {
        String(header.trimmed.lowercased().filter { !" _-\u{3000}\u{FEFF}".contains($0) })
    }
}

/// Which field of a record holds each known column.
struct ColumnMap {
    let positions: [ImportColumn: Int]
    let headers: [String]

    /// Maps a header row: the first column matching a known name wins; unknown columns are ignored.
    /// A required column that is missing is an error on line 1.
    init(header: [String], kind: ImportKind) throws(ImportFailure) {
        var positions: [ImportColumn: Int] = [:]
        let keys = header.map(ImportColumn.key)
        // Exact canonical names first, so that a file with both "客户编码" and "客户" maps each once.
        for column in kind.columns {
            if let index = keys.firstIndex(of: ImportColumn.key(column.rawValue)) { positions[column] = index }
        }
        for column in kind.columns where positions[column] == nil {
            let taken = Set(positions.values)
            if let index = keys.indices.first(where: { !taken.contains($0) && column.aliases.contains(keys[$0]) }) {
                positions[column] = index
            }
        }
        let missing = kind.required.filter { positions[$0] == nil }.map(\.rawValue).sorted()
        guard missing.isEmpty else {
            throw ImportFailure(issues: missing.map {
                ImportIssue(line: 1, column: $0, reason: "required column is missing (header has: \(header.joined(separator: ", ")))")
            }, issueCount: missing.count)
        }
        self.positions = positions
        self.headers = header
    }

    /// The value of `column` in `fields`, trimmed; empty when the column is absent or the row is short.
    func value(_ column: ImportColumn, in fields: [String]) -> String {
        guard let index = positions[column], index < fields.count else { return "" }
        let raw = fields[index]
        guard let first = raw.utf8.first, let last = raw.utf8.last else { return raw }
        // Only a field that starts or ends with a space-like byte (or a non-ASCII character) needs trimming.
        return first <= 0x20 || last <= 0x20 || first >= 0x80 || last >= 0x80 ? raw.trimmed : raw
    }
}
