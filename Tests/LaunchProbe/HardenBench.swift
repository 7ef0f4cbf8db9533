// `launch-probe harden-bench [N]`: the cost of `--harden default` per exec, and per syscall in the child.
import Core
import Injector
import Sandbox

#if canImport(Glibc)
    import Glibc
#endif

private func spawnSeconds(_ arguments: [String], hook: Sandbox.Hook?) -> Double {
    let options = LaunchOptions(preLaunch: hook)
    let command = LaunchCommand(arguments: arguments, environment: EnvironmentBlock.inheriting())
    let start = now()
    do throws(LaunchError) {
        let outcome = try Launcher.supervise(command, options: options)
        guard outcome == .exited(0) else { fail("\(arguments[0]) ended with \(outcome)") }
    } catch {
        fail(error.description)
    }
    return now() - start
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

func hardenBench(_ arguments: [String]) -> Never {
    let count = arguments.first.flatMap { Int($0) } ?? 200
    let compileStart = now()
    let hook: Sandbox.Hook
    do throws(CloakError) { hook = try Sandbox.preLaunchHook(.default) } catch { fail(error.description) }
    let compileMs = (now() - compileStart) * 1000
    let strictStart = now()
    _ = try? Sandbox.preLaunchHook(.strict)
    let strictMs = (now() - strictStart) * 1000

    var plain: [Double] = []
    var hardened: [Double] = []
    for _ in 0..<3 { _ = spawnSeconds(["/bin/true"], hook: nil) }  // warm up
    for _ in 0..<count {  // interleaved, so drift hits both series alike
        plain.append(spawnSeconds(["/bin/true"], hook: nil))
        hardened.append(spawnSeconds(["/bin/true"], hook: hook))
    }
    let plainUs = median(plain) * 1e6
    let hardenedUs = median(hardened) * 1e6
    say("harden-bench: \(count) spawns of /bin/true each way (supervised)")
    say("  compile default: \(format3(compileMs)) ms, strict: \(format3(strictMs)) ms (once per cloak run)")
    say("  median without hook: \(Int(plainUs)) µs, with default hook: \(Int(hardenedUs)) µs")
    say("  overhead per exec: \(Int(hardenedUs - plainUs)) µs (mean \(Int((mean(hardened) - mean(plain)) * 1e6)) µs)")

    let probe = CommandLine.arguments[0]
    say("  child syscall cost (getppid x 1e6):")
    _ = spawnSeconds([probe, "syscall-loop", "1000000"], hook: nil)
    _ = spawnSeconds([probe, "syscall-loop", "1000000"], hook: hook)
    exit(0)
}

private func mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
}

private func format3(_ value: Double) -> String {
    let thousandths = Int((value * 1000).rounded())
    let fraction = String(thousandths % 1000)
    return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}
