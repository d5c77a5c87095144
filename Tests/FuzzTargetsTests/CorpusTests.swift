import Foundation
import FuzzTargets
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
        for input in inputs { target.run([UInt8](try Data(contentsOf: input))) }
    }

    @Test func theTargetsTakeTheLargestAndOddestInputsWithoutTrapping() {
        // Values the fuzzer may never reach by chance: a trap or a broken round trip ends the run.
        for text in ["0.00", "-92,233,720,368,547,758.07", "2199-12-31", "1900-01-01", "net 0"] { FuzzTarget.values.run(Array(text.utf8)) }
        FuzzTarget.csv.run(Array(repeating: UInt8(ascii: ","), count: FuzzTarget.inputBytesMax))
        FuzzTarget.json.run(Array("{\"reference\":\"R\",\"customer\":\"K1\",\"date\":\"2026-02-30\",\"amount\":\"x\"}".utf8))
    }
}
