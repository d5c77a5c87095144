import Testing
@testable import Receivables

@Suite struct AllocationRuleTests {
    let customer = Customer.ID(1)
    func cny(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .cny) }
    func item(id: Int64 = 1, issue: Int32 = 100, due: Int32 = 130, open: Int64 = 1000, customer: Customer.ID = Customer.ID(1)) -> OpenItem {
        OpenItem(id: OpenItem.ID(id), customer: customer, issue: Day(ordinal: issue), due: Day(ordinal: due), amount: cny(1000), open: cny(open))
    }
    func credit(day: Int32 = 110, unapplied: Int64 = 500, reversed: Bool = false) -> Credit {
        Credit(id: Credit.ID(9), customer: customer, day: Day(ordinal: day), unapplied: cny(unapplied), reversed: reversed)
    }

    @Test func takesEffectOnTheLaterOfTheTwoDays() throws {
        #expect(try AllocationRule.check(credit: credit(day: 110), item: item(issue: 100), amount: cny(100)) == Day(ordinal: 110))
        #expect(try AllocationRule.check(credit: credit(day: 90), item: item(issue: 100), amount: cny(100)) == Day(ordinal: 100))
    }

    @Test func applyingExactlyWhatIsOpenIsAllowed() throws {
        _ = try AllocationRule.check(credit: credit(unapplied: 1000), item: item(open: 1000), amount: cny(1000))
    }

    @Test func allocatingMoreThanOpenIsRejected() {
        #expect(throws: AllocationRejection.exceedsOpenAmount(open: cny(300))) {
            try AllocationRule.check(credit: credit(unapplied: 500), item: item(open: 300), amount: cny(301))
        }
    }

    @Test func allocatingMoreThanTheCreditHasLeftIsRejected() {
        #expect(throws: AllocationRejection.exceedsUnappliedCredit(unapplied: cny(500))) {
            try AllocationRule.check(credit: credit(unapplied: 500), item: item(open: 1000), amount: cny(501))
        }
    }

    @Test(arguments: [Int64(0), -5])
    func nothingOrLessIsRejected(amount: Int64) {
        #expect(throws: AllocationRejection.amountNotPositive) {
            try AllocationRule.check(credit: credit(), item: item(), amount: cny(amount))
        }
    }

    @Test func anotherCurrencyIsRejected() {
        let usd = Money(minorUnits: 10, currency: Currency(code: "USD")!)
        #expect(throws: AllocationRejection.currencyMismatch) { try AllocationRule.check(credit: credit(), item: item(), amount: usd) }
    }

    @Test func anotherCustomersItemIsRejected() {
        #expect(throws: AllocationRejection.customerMismatch) {
            try AllocationRule.check(credit: credit(), item: item(customer: Customer.ID(2)), amount: cny(1))
        }
    }

    @Test func aReversedCreditCannotBeApplied() {
        #expect(throws: AllocationRejection.creditReversed) {
            try AllocationRule.check(credit: credit(reversed: true), item: item(), amount: cny(1))
        }
    }

    @Test func oldestDueIsPaidFirstAndNothingIsOverApplied() {
        let items = [item(id: 1, due: 200, open: 300), item(id: 2, due: 150, open: 100), item(id: 3, due: 150, open: 0),
                     item(id: 4, due: 180, open: 250)]
        let plan = AllocationRule.oldestDueFirst(available: cny(500), items: items)
        #expect(plan.map(\.item.id.rawValue) == [2, 4, 1])
        #expect(plan.map(\.amount) == [cny(100), cny(250), cny(150)])
    }
}

@Suite struct SpreadTests {
    func cny(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .cny) }

    static let cases: [(Int64, [Int64], [Int64])] = [(250, [100, 100, 100], [100, 100, 50]), (0, [10], [0]), (500, [10, 20], [10, 20]), (-5, [10], [0])]

    @Test(arguments: cases)
    func moneyGoesToEachAmountInOrderUntilItRunsOut(available: Int64, open: [Int64], expected: [Int64]) {
        #expect(AllocationRule.spread(available: cny(available), over: open.map(cny)).map(\.minorUnits) == expected)
    }
}
