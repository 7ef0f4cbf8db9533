import CLI
import Core

/// Turns a `CloakError` into one line on stderr and the documented exit code; `Cloak.main` exits with it.
enum Reporting {
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as CloakError {
            Console.err(error.description)
            throw ExitStatus(error.exitCode)
        }
    }
}
