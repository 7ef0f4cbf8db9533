#if canImport(Glibc)
import Glibc
#endif

#if FUZZING
// libFuzzer drives the process; SwiftPM names an executable's entry point `<target>_main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

nonisolated(unsafe) var fuzzTarget = "yaml"

@_cdecl("cloak_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    fuzzTarget = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? "yaml"
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v) { data, size in
        guard let data else { return 0 }
        FuzzTargets.run(fuzzTarget, UnsafeBufferPointer(start: data, count: size))
        return 0
    }
}
#else
/// Without FUZZING (a normal build) the target replays inputs, which is how crash regressions are re-run:
/// `cloak-fuzz TARGET FILE…`.
@main
struct FuzzReplay {
    static func main() {
        let args = CommandLine.arguments
        guard args.count >= 3, FuzzTargets.names.contains(args[1]) else {
            print("usage: cloak-fuzz {\(FuzzTargets.names.joined(separator: "|"))} FILE…  (fuzz with scripts/reliability)")
            return
        }
        for path in args.dropFirst(2) {
            guard let f = fopen(path, "rb") else { continue }
            var bytes: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&buf, 1, buf.count, f)
                if n <= 0 { break }
                bytes += buf[0..<n]
            }
            fclose(f)
            bytes.withUnsafeBufferPointer { FuzzTargets.run(args[1], $0) }
        }
        print("replayed \(args.count - 2) input(s) without a crash")
    }
}
#endif
