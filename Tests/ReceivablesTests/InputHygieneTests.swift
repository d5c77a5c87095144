import Testing
@testable import Receivables

/// Codes, numbers and names hold no control characters: NUL, the other C0 controls, DEL and C1.
@Suite struct InputHygieneTests {
    @Test(arguments: ["F\u{0}1", "F\u{7F}", "F\u{1B}[2J", "发票\u{9B}1", "\u{0}"])
    func aDocumentNumberWithAControlCharacterIsRefused(number: String) {
        #expect(throws: DocumentRejection.controlCharacters(field: "number")) { try DocumentNumber(number).validate(field: "number") }
    }

    @Test(arguments: ["INV-2026-0001", "发票-1", "A/B.C_D"])
    func ordinaryNumbersPass(number: String) throws {
        try DocumentNumber(number).validate(field: "number")
    }

    @Test func aCustomerWithAControlCharacterIsRefusedNamingTheField() {
        for (field, customer) in [("code", Customer(code: Customer.Code("K\u{7F}1"), name: "A", terms: .net(30))),
                                  ("name", Customer(code: Customer.Code("K1"), name: "上海\u{0}华盛", terms: .net(30))),
                                  ("phone", Customer(code: Customer.Code("K1"), name: "A", terms: .net(30), phone: "021\u{8}6"))] {
            #expect(throws: CustomerRejection.controlCharacters(field: field)) { try customer.validate() }
        }
        #expect(throws: Never.self) { try Customer(code: Customer.Code("K1"), name: "上海 华盛 (集团)", terms: .net(30)).validate() }
    }
}
