/// A ledger account, by its code in the chart of accounts ("1122").
public struct Account: Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public init(_ code: String) { self.code = code }
    public var description: String { code }
}

/// The accounts the book posts to. Defaults follow the Chinese small-business chart
/// (小企业会计准则); every code can be changed per book.
public struct Chart: Hashable, Sendable {
    /// 1122 应收账款
    public var receivables = Account("1122")
    /// 2203 预收账款: money received and not applied (advances)
    public var advances = Account("2203")
    /// 1002 银行存款
    public var bank = Account("1002")
    /// 1001 库存现金
    public var cash = Account("1001")
    /// 1121 应收票据: bank acceptance bills received
    public var notesReceivable = Account("1121")
    /// 6001 主营业务收入
    public var revenue = Account("6001")
    /// 2221 应交税费 (output VAT)
    public var vatOutput = Account("2221")
    /// 6603 财务费用: cash discounts granted
    public var discounts = Account("6603")
    /// 1231 坏账准备
    public var allowance = Account("1231")
    /// 6301 营业外收入: late fees and interest charged to customers (滞纳金/违约金)
    public var feeIncome = Account("6301")

    public init() {}

    /// The account money received by `method` lands in.
    public func account(receiving method: PaymentMethod) -> Account {
        switch method {
        case .cash: cash
        case .acceptanceBill: notesReceivable
        case .bankTransfer, .card, .wechatPay, .alipay, .cheque, .other: bank
        }
    }

    /// The named accounts, for storing and configuring.
    public var named: [(name: String, account: Account)] {
        [("receivables", receivables), ("advances", advances), ("bank", bank), ("cash", cash),
         ("notes_receivable", notesReceivable), ("revenue", revenue), ("vat_output", vatOutput),
         ("discounts", discounts), ("allowance", allowance), ("fee_income", feeIncome)]
    }

    public mutating func set(_ name: String, to account: Account) -> Bool {
        switch name {
        case "receivables": receivables = account
        case "advances": advances = account
        case "bank": bank = account
        case "cash": cash = account
        case "notes_receivable": notesReceivable = account
        case "revenue": revenue = account
        case "vat_output": vatOutput = account
        case "discounts": discounts = account
        case "allowance": allowance = account
        case "fee_income": feeIncome = account
        default: return false
        }
        return true
    }
}
