import Receivables

/// What the dashboard shows, for what the caller may see.
public struct DashboardFigures: Sendable {
    public let aging: AgingReport
    /// Days sales outstanding over the last `dsoWindowDays`, in tenths of a day; nil without sales.
    public let dsoTenths: Int64?
    /// Receipts recorded last (of customers the caller may see), newest first.
    public let recentReceipts: [(code: Customer.Code, name: String, receipt: StoredCredit)]
}

extension Reports {
    public static let dsoWindowDays: Int64 = 90
    public static let recentReceiptsMax = 10

    /// The dashboard as of a day: aging, DSO (receivables ÷ credit sales of the last 90 days × 90)
    /// and the latest receipts, in the book's currency.
    public func dashboard(asOf: Day) async throws -> DashboardFigures {
        let principal = caller.principal
        try principal.require(.readBook)
        return try await storage.read { reader in
            let directory = try reader.customerDirectory()
            let report = try Self.aging(.init(asOf: asOf), reader: reader, principal: principal, directory: directory)
            let visible = { (id: Customer.ID) in directory[id].map { principal.sees($0) && $0.currency == report.currency } ?? false }
            let sales = try Money.total(try reader.invoicedPerCustomer(from: asOf.advanced(by: -Int(Self.dsoWindowDays) + 1), to: asOf)
                .filter { visible($0.key) }.values)
            // open × 900 ÷ sales in 128 bits: a book's totals may be as large as 64 bits hold.
            let dso: Int64? = sales > 0 ? Money.scaled(report.totalOpen.minorUnits, by: Self.dsoWindowDays * 10, over: sales) ?? .max : nil
            var recent: [(Customer.Code, String, StoredCredit)] = []
            for receipt in try reader.recentReceipts(limit: Self.recentReceiptsMax * 20) where visible(receipt.customer) {
                guard let summary = directory[receipt.customer] else { continue }
                recent.append((summary.code, summary.name, receipt))
                if recent.count == Self.recentReceiptsMax { break }
            }
            return DashboardFigures(aging: report, dsoTenths: dso, recentReceipts: recent)
        }
    }
}
