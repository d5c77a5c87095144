import Testing
@testable import Receivables

@Suite struct DunningPolicyTests {
    func level(_ number: Int, _ offset: Int, interest: Bool = false, channels: [DunningChannel] = [.email]) -> DunningLevel {
        DunningLevel(number: number, name: "L\(number)", offsetDays: offset, channels: channels, chargesInterest: interest)
    }

    @Test func theStandardPolicyReachesEachLevelOnItsDay() {
        let policy = DunningPolicy.standard
        #expect(policy.levels.map(\.offsetDays) == [-3, 1, 15, 30, 60, 90])
        #expect([-4, -3, 0, 1, 14, 15, 29, 30, 59, 60, 89, 90, 400].map { policy.levelReached(daysPastDue: $0) }
            == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6])
        #expect(policy.level(5)?.actions == [.creditHold])
    }

    @Test func badPoliciesAreRefusedNamingTheRule() throws {
        #expect(throws: DunningRejection.offsetsNotIncreasing(level: 2)) { try DunningPolicy(name: "p", levels: [level(1, 5), level(2, 5)]) }
        #expect(throws: DunningRejection.levelsNotNumberedInOrder) { try DunningPolicy(name: "p", levels: [level(2, 5)]) }
        #expect(throws: DunningRejection.levelWithoutChannel(level: 1)) { try DunningPolicy(name: "p", levels: [level(1, 5, channels: [])]) }
        #expect(throws: DunningRejection.interestWithoutTerms(level: 1)) { try DunningPolicy(name: "p", levels: [level(1, 5, interest: true)]) }
        #expect(throws: DunningRejection.levelCount(max: DunningPolicy.levelsMax)) { try DunningPolicy(name: "p", levels: []) }
        #expect(throws: DunningRejection.nameInvalid) { try DunningPolicy(name: "", levels: [level(1, 5)]) }
        #expect(throws: DunningRejection.rateOutOfRange) { try LateFeeTerms(dailyRatePPM: 10_001) }
        #expect(throws: DunningRejection.capOutOfRange) { try LateFeeTerms(dailyRatePPM: 500, capBasisPoints: 10_001) }
    }
}

@Suite struct LateInterestTests {
    let due = Day(ordinal: 1000)
    func cny(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .cny) }

    @Test func interestRunsOnEachDayAfterTheGraceOnWhatWasOpenThatDay() throws {
        let terms = try LateFeeTerms(dailyRatePPM: 500, graceDays: 7)
        // 10,000.00 open from the due day; 4,000.00 paid on day 1020, so 6,000.00 open from then.
        let history = [LateInterest.Stretch(from: due, open: cny(1_000_000)), .init(from: due.advanced(by: 20), open: cny(600_000))]
        // Days 1008…1019 (12) at 1,000,000 and 1020…1037 (18) at 600,000: (12,000,000 + 10,800,000) × 0.0005 = 11,400.
        #expect(try LateInterest.accrued(due: due, terms: terms, history: history, through: due.advanced(by: 37), currency: .cny) == cny(11_400))
        #expect(try LateInterest.accrued(due: due, terms: terms, history: history, through: due.advanced(by: 7), currency: .cny) == cny(0))
    }

    @Test func interestIsRoundedHalfUpOnceAtTheEnd() throws {
        let terms = try LateFeeTerms(dailyRatePPM: 333)
        // 1,501 × 333 ÷ 1,000,000 per day is 0.4998… minor units; 3 days: 1.4999 → 1, 4 days: 1.9998 → 2.
        let history = [LateInterest.Stretch(from: due, open: cny(1_501))]
        #expect(try LateInterest.accrued(due: due, terms: terms, history: history, through: due.advanced(by: 3), currency: .cny) == cny(1))
        #expect(try LateInterest.accrued(due: due, terms: terms, history: history, through: due.advanced(by: 4), currency: .cny) == cny(2))
    }

    @Test func aHistoryInAnotherCurrencyIsRefusedNotCharged() throws {
        let terms = try LateFeeTerms(dailyRatePPM: 500)
        let history = [LateInterest.Stretch(from: due, open: Money(minorUnits: 1_000, currency: Currency(code: "USD")!))]
        #expect(throws: MoneyError.currencyMismatch(.cny, Currency(code: "USD")!)) {
            try LateInterest.accrued(due: due, terms: terms, history: history, through: due.advanced(by: 10), currency: .cny)
        }
    }

    @Test func theCapLimitsWhatAnItemIsEverCharged() throws {
        let terms = try LateFeeTerms(dailyRatePPM: 500, capBasisPoints: 2000)
        #expect(LateInterest.chargeable(accrued: cny(50_000), charged: cny(0), amount: cny(100_000), terms: terms) == cny(20_000))
        #expect(LateInterest.chargeable(accrued: cny(50_000), charged: cny(15_000), amount: cny(100_000), terms: terms) == cny(5_000))
        #expect(LateInterest.chargeable(accrued: cny(50_000), charged: cny(20_000), amount: cny(100_000), terms: terms) == cny(0))
        #expect(LateInterest.chargeable(accrued: cny(9_000), charged: cny(4_000), amount: cny(100_000), terms: terms) == cny(5_000))
    }
}

@Suite struct DunningPlanTests {
    let asOf = Day(ordinal: 2000)
    let policy = DunningPolicy.standard
    func cny(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .cny) }

    func item(_ id: Int64, due: Int, open: Int64 = 10_000, disputed: Int64 = 0, sent: Int = 0, invoice: String? = nil) -> DunningItem {
        DunningItem(id: OpenItem.ID(id), invoice: DocumentNumber(invoice ?? "F\(id)"), due: asOf.advanced(by: -due), amount: cny(10_000),
                    open: cny(open), disputed: cny(disputed), levelSent: sent, history: [.init(from: asOf.advanced(by: -due), open: cny(open))])
    }

    func plan(_ items: [DunningItem], unapplied: Int64 = 0, promises: [PromiseToPay] = [], exempt: Bool = false) throws -> [DunningNotice] {
        try DunningPlan.notices(for: DunningAccount(customer: Customer.ID(1), currency: .cny, policy: policy, exempt: exempt, items: items,
                                                    unapplied: cny(unapplied), promises: promises), asOf: asOf)
    }

    func promise(_ id: Int64, invoice: String? = nil, amount: Int64, day: Day, paid: Int64, escalated: Bool = false) -> PromiseToPay {
        PromiseToPay(id: PromiseToPay.ID(id), invoice: invoice.map(DocumentNumber.init), amount: cny(amount), day: day, paid: cny(paid),
                     escalated: escalated)
    }

    @Test func oldDebtEntersAtTheLevelItsAgeHasReached() throws {
        let notices = try plan([item(1, due: 45), item(2, due: 2), item(3, due: 3)])
        // One message for the customer, at the highest level reached, each item listed at its own level.
        try #require(notices.count == 1)
        #expect(notices[0].level.number == 4)
        #expect(notices[0].lines.map(\.item.rawValue) == [1, 3, 2])
        #expect(notices[0].lines.map(\.level) == [4, 2, 2])
        #expect(notices[0].fee == cny(5000), "the highest level's fee, once")
        #expect(notices[0].actions.isEmpty)
        let legal = try plan([item(4, due: 100)])
        #expect(legal.first?.actions == [.creditHold, .legal])
    }

    /// Old debt at every level on the first day still makes one message, not one per level: the backlog
    /// case that used to send a customer five letters at once.
    @Test func aCustomerGetsOneMessageARunWhateverTheLevelsReached() throws {
        let items = [item(1, due: -2), item(2, due: 2), item(3, due: 20), item(4, due: 40), item(5, due: 70), item(6, due: 120)]
        let notices = try plan(items)
        try #require(notices.count == 1)
        #expect(notices[0].level.number == policy.levels.count)
        #expect(Set(notices[0].lines.map(\.level)).count == policy.levels.count, "each item keeps its own level")
        #expect(notices[0].chased == cny(60_000))
        #expect(notices[0].fee == (policy.levels.last?.fee ?? cny(0)))
    }

    @Test func anItemNeverGetsALevelTwiceNorGoesBack() throws {
        #expect(try plan([item(1, due: 20, sent: 3)]).isEmpty)
        #expect(try plan([item(1, due: 20, sent: 4)]).isEmpty)
        #expect(try plan([item(1, due: 31, sent: 3)]).map(\.level.number) == [4])
    }

    @Test func disputedAmountsAndCoveredItemsAreNotChased() throws {
        #expect(try plan([item(1, due: 20, disputed: 10_000)]).isEmpty)
        #expect(try plan([item(1, due: 20, disputed: 4_000)]).first?.chased == cny(6_000))
        // 12,000 unapplied covers the oldest item and 2,000 of the next.
        let notices = try plan([item(1, due: 20), item(2, due: 10)], unapplied: 12_000)
        #expect(notices.flatMap(\.lines).map(\.item.rawValue) == [2])
        #expect(notices.first?.chased == cny(8_000))
    }

    @Test func customersWhoOweNothingOrAreExemptAreLeftAlone() throws {
        #expect(try plan([item(1, due: 20)], unapplied: 10_000).isEmpty)
        #expect(try plan([item(1, due: 20)], unapplied: 20_000).isEmpty)
        #expect(try plan([item(1, due: 20)], exempt: true).isEmpty)
    }

    @Test func aPendingPromisePausesWhatItCoversAndABrokenOneEscalatesOnce() throws {
        let account = promise(7, amount: 5_000, day: asOf, paid: 0)
        #expect(try plan([item(1, due: 20)], promises: [account]).isEmpty)
        let one = promise(8, invoice: "F1", amount: 5_000, day: asOf.advanced(by: 3), paid: 0)
        #expect(try plan([item(1, due: 20), item(2, due: 20)], promises: [one]).flatMap(\.lines).map(\.item.rawValue) == [2])
        let kept = promise(9, amount: 5_000, day: asOf.advanced(by: 3), paid: 5_000)
        #expect(try plan([item(1, due: 20)], promises: [kept]).map(\.level.number) == [3])
        // Broken yesterday: the item sent level 3 moves to 4 although it is only 20 days late.
        let broken = promise(10, amount: 5_000, day: asOf.advanced(by: -1), paid: 1_000)
        let escalated = try plan([item(1, due: 20, sent: 3)], promises: [broken])
        #expect(escalated.map(\.level.number) == [4])
        #expect(escalated.first?.escalates == [PromiseToPay.ID(10)])
        let once = promise(10, amount: 5_000, day: asOf.advanced(by: -1), paid: 1_000, escalated: true)
        #expect(try plan([item(1, due: 20, sent: 4)], promises: [once]).isEmpty)
    }

    @Test func levelsThatChargeInterestChargeWhatAccruedWithinTheCap() throws {
        // 100.00 open 45 days: days 8…45 after due (38) × 10,000 × 0.05% = 190 minor units.
        let notices = try plan([item(1, due: 45)])
        #expect(notices.first?.interest == cny(190))
        #expect(notices.first?.charges == cny(5_190))
        let disputed = try plan([item(1, due: 45, disputed: 1)])
        #expect(disputed.first?.interest == cny(0))
    }
}

@Suite struct DunningFeeOnFeeTests {
    @Test func aMessageChasingOnlyFeesChargesNoFee() throws {
        let asOf = Day(ordinal: 2000)
        let fiftyYuan = Money(minorUnits: 5_000, currency: .cny)
        let fee = DunningItem(id: OpenItem.ID(1), invoice: DocumentNumber("LF-1"), due: asOf.advanced(by: -30), amount: fiftyYuan,
                              open: fiftyYuan, isFee: true)
        let notices = try DunningPlan.notices(for: DunningAccount(customer: Customer.ID(1), currency: .cny, policy: .standard, items: [fee]), asOf: asOf)
        #expect(notices.map(\.level.number) == [4])
        #expect(notices.first?.charges == .zero(.cny))
    }
}

@Suite struct DunningFeeCurrencyTests {
    static let jpy = Currency(code: "JPY")!

    func warning(owedIn currency: Currency, policy: DunningPolicy) throws -> DunningNotice? {
        let asOf = Day(ordinal: 2000)
        let owed = Money(minorUnits: 10_000, currency: currency)
        let item = DunningItem(id: OpenItem.ID(1), invoice: DocumentNumber("F1"), due: asOf.advanced(by: -31), amount: owed, open: owed)
        return try DunningPlan.notices(for: DunningAccount(customer: Customer.ID(1), currency: currency, policy: policy, items: [item]),
                                       asOf: asOf).first
    }

    @Test func aFeeIsChargedInTheCurrencyItIsStatedIn() throws {
        // The standard policy's 50 is 50 of the book's currency: 5,000 fen, or 50 yen (no minor units).
        #expect(try warning(owedIn: .cny, policy: .standard)?.fee == Money(minorUnits: 5_000, currency: .cny))
        #expect(try warning(owedIn: Self.jpy, policy: .standard(in: Self.jpy))?.fee == Money(minorUnits: 50, currency: Self.jpy))
    }

    @Test func aFeeInAnotherCurrencyThanTheCustomersIsNotCharged() throws {
        // A CNY book's fee of 50.00 (5,000 fen) is not 5,000 yen for a customer who owes in JPY.
        let notice = try #require(try warning(owedIn: Self.jpy, policy: .standard))
        #expect(notice.level.number == 4)
        #expect(notice.fee == .zero(Self.jpy))
    }
}
