/// How a customer paid. Closed set: every switch over it is exhaustive.
public enum PaymentMethod: String, CaseIterable, Hashable, Sendable {
    case bankTransfer = "bank_transfer"
    case cash
    case card
    case wechatPay = "wechat_pay"
    case alipay
    case cheque
    /// 银行承兑汇票: a bank acceptance bill, held until it matures or is discounted.
    case acceptanceBill = "acceptance_bill"
    case other

    /// Accepts the code, English words and the Chinese names finance staff type (银行转账, 现金, 微信…).
    public init?(text: String) {
        let key = text.trimmed.lowercased().replacingAll(" ", with: "_").replacingAll("-", with: "_")
        if let method = PaymentMethod(rawValue: key) {
            self = method
            return
        }
        guard let method = PaymentMethod.aliases[key] else { return nil }
        self = method
    }

    private static let aliases: [String: PaymentMethod] = [
        "bank": .bankTransfer, "transfer": .bankTransfer, "wire": .bankTransfer, "银行转账": .bankTransfer,
        "转账": .bankTransfer, "电汇": .bankTransfer, "银行": .bankTransfer, "网银": .bankTransfer,
        "现金": .cash, "credit_card": .card, "debit_card": .card, "刷卡": .card, "银行卡": .card,
        "wechat": .wechatPay, "weixin": .wechatPay, "微信": .wechatPay, "微信支付": .wechatPay,
        "支付宝": .alipay, "check": .cheque, "支票": .cheque, "bill": .acceptanceBill,
        "bank_acceptance_bill": .acceptanceBill, "承兑汇票": .acceptanceBill, "银行承兑汇票": .acceptanceBill,
        "承兑": .acceptanceBill, "其他": .other, "": .bankTransfer,
    ]
}
