/// The company keeping the book: the letterhead of its letters and the account customers pay to.
public struct CompanyProfile: Hashable, Sendable {
    public enum Field: String, CaseIterable, Sendable {
        case name, address, phone, bank, account, taxID = "tax_id"
    }

    public var name = ""
    public var address = ""
    public var phone = ""
    /// The bank and branch customers pay to (开户行).
    public var bank = ""
    /// The account number there (账号).
    public var account = ""
    /// The unified social credit code (统一社会信用代码).
    public var taxID = ""

    public static let fieldLengthMax = 200

    public init() {}

    public subscript(_ field: Field) -> String {
        get {
            switch field {
            case .name: name
            case .address: address
            case .phone: phone
            case .bank: bank
            case .account: account
            case .taxID: taxID
            }
        }
        set {
            switch field {
            case .name: name = newValue
            case .address: address = newValue
            case .phone: phone = newValue
            case .bank: bank = newValue
            case .account: account = newValue
            case .taxID: taxID = newValue
            }
        }
    }
}
