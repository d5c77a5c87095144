import FuzzTargets

// Built two ways. With `-DFUZZING -sanitize=fuzzer` (scripts/fuzz) libFuzzer supplies `main` and calls
// the entry below with each input it makes, for the target named by ARBOOK_FUZZ_TARGET. Built plainly,
// `arbook-fuzz TARGET FILE…` runs saved inputs (a corpus, a crash the fuzzer found) through the target.

#if FUZZING
import Foundation

private let target = ProcessInfo.processInfo.environment["ARBOOK_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:)) ?? .values

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let findings = target.findings(Array(UnsafeBufferPointer(start: data, count: size)))
    precondition(findings.isEmpty, findings.joined(separator: "; "))
    return 0
}
#else
import Foundation

@main
struct ArbookFuzz {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: arbook-fuzz values|csv|json FILE…")
            exit(2)
        }
        var broken = 0
        for path in arguments.dropFirst() {
            for finding in target.findings([UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))) {
                print("\(path): \(finding)")
                broken += 1
            }
        }
        print("\(arguments.count - 1) inputs ran through \(name), \(broken) broken promises")
        if broken > 0 { exit(1) }
    }
}
#endif
