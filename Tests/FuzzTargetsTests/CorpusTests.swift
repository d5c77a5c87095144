import Foundation
@testable import FuzzTargets
import Testing

/// Every input the fuzzer kept (the seeds and what it found worth keeping) runs through its target on
/// every test run: what once crashed a parser stays fixed.
@Suite struct CorpusTests {
    static func inputs(_ target: FuzzTarget) throws -> [URL] {
        let folder = try #require(Bundle.module.url(forResource: "corpus/\(target.rawValue)", withExtension: nil))
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
    }

    @Test(arguments: FuzzTarget.allCases)
    func everySavedInputRunsThroughItsTarget(target: FuzzTarget) throws {
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= 5, "the corpus of \(target) holds its seeds")
        for input in inputs {
            #expect(target.findings([UInt8](try Data(contentsOf: input))).isEmpty, "\(input.lastPathComponent)")
        }
    }

    @Test(arguments: ["0.00", "-92,233,720,368,547,758.07", "2199-12-31", "1900-01-01", "net 30", "月结 30", "15,45,180,365"])
    func valuesTheFuzzerMayNeverReachHoldTheirRoundTrips(text: String) {
        #expect(FuzzTarget.values.findings(Array(text.utf8)).isEmpty)
    }

    @Test func theLargestAndOddestInputsBreakNoPromise() {
        #expect(FuzzTarget.csv.findings(Array(repeating: UInt8(ascii: ","), count: FuzzTarget.inputBytesMax)).isEmpty)
        #expect(FuzzTarget.json.findings(Array("{\"reference\":\"R\",\"customer\":\"K1\",\"date\":\"2026-02-30\",\"amount\":\"x\"}".utf8)).isEmpty)
        // Past the size limit an input is not read at all.
        #expect(FuzzTarget.values.findings(Array(repeating: 0x31, count: FuzzTarget.inputBytesMax + 1)).isEmpty)
    }

    @Test func aBrokenPromiseIsAFindingNotATrap() {
        var findings = FuzzTarget.Findings()
        findings.expect(1 + 1 == 3, "arithmetic")
        #expect(findings.broken == ["arithmetic"])
    }
}
