import Testing

@testable import CLI

/// The parser against a small command tree of its own, so that the tests say what the spellings mean without
/// depending on cloak's commands.
struct CommandLineParserTests {
    static let stack = OptionSpec.value("stack", short: "s", help: "Stack.")
    static let format = OptionSpec.value("format", short: "f", help: "Format.", choices: ["yaml", "json"], default: "yaml")
    static let mask = OptionSpec.bool("mask", help: "Mask.")
    static let force = OptionSpec.flag("force", short: "F", help: "Force.")
    static let verbose = OptionSpec.flag("verbose", short: "v", help: "Verbose.")
    static let config = OptionSpec.repeated(["config-path", "config"], help: "Config.")
    static let name = ArgumentSpec("name", help: "Name.")
    static let value = ArgumentSpec("value", .optional, help: "Value.")

    static let run = CommandSpec(
        name: "run", abstract: "Run.", options: [stack, format, mask, force, verbose, config], arguments: [name, value],
        passthrough: PassthroughSpec("command", help: "Command."), run: { _ in })
    static let get = CommandSpec(name: "get", aliases: ["show"], abstract: "Get.", options: [stack], arguments: [name], run: { _ in })
    static let list = CommandSpec(group: "list", abstract: "List.", subcommands: [get], defaultSubcommand: "get")
    static let group = CommandSpec(group: "grp", abstract: "Group.", subcommands: [get])
    static let root = CommandSpec(name: "tool", abstract: "Tool.", subcommands: [run, list, group], run: { _ in })

    func parsed(_ words: [String]) throws(CommandLineError) -> ParsedArguments {
        guard case .run(let arguments) = try CommandLineParser.parse(words, root: Self.root) else {
            Issue.record("expected a command to run for \(words)")
            return ParsedArguments(path: [Self.root])
        }
        return arguments
    }

    func error(_ words: [String]) -> String? {
        do {
            _ = try CommandLineParser.parse(words, root: Self.root)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func valueSpellingsMeanTheSame() throws {
        for words in [["run", "-s", "dev", "n"], ["run", "--stack", "dev", "n"], ["run", "--stack=dev", "n"], ["run", "-sdev", "n"], ["run", "n", "-s", "dev"]] {
            let p = try parsed(words)
            #expect(p.string(Self.stack) == "dev", "\(words)")
            #expect(try p.required(Self.name) == "n", "\(words)")
            #expect(p.argument(Self.value) == nil)
        }
    }

    @Test func flagsClustersDefaultsAndRepeats() throws {
        let p = try parsed(["run", "-vF", "--config", "a", "--config-path=b", "--mask=false", "x", "y"])
        #expect(p.flag(Self.verbose) && p.flag(Self.force))
        #expect(p.strings(Self.config) == ["a", "b"])
        #expect(p.bool(Self.mask) == false)
        #expect(p.string(Self.format) == "yaml")
        #expect(p.argument(Self.value) == "y")
        #expect(try parsed(["run", "-vfjson", "x"]).string(Self.format) == "json")
    }

    @Test func everythingAfterTheTerminatorIsPassedThrough() throws {
        let p = try parsed(["run", "x", "--", "cmd", "--help", "-s", "--"])
        #expect(p.passthrough == ["cmd", "--help", "-s", "--"])
        #expect(p.string(Self.stack) == nil)
        #expect(try parsed(["list", "get", "-s", "dev", "--", "-odd"]).argument(Self.name) == "-odd")
    }

    @Test func subcommandsAliasesAndDefaults() throws {
        #expect(try parsed(["list", "show", "n"]).commandPath == "tool list get")
        #expect(try parsed(["list", "-s", "dev", "n"]).commandPath == "tool list get")
        #expect(try parsed(["list", "get", "n"]).commandPath == "tool list get")
        #expect(try parsed([]).commandPath == "tool")
    }

    @Test func helpWherever() throws {
        for (words, path) in [(["run", "-s", "dev", "--help"], "tool run"), (["help", "list", "get"], "tool list get"), (["grp"], "tool grp"), (["list", "-h"], "tool list")] {
            guard case .help(let commands) = try CommandLineParser.parse(words, root: Self.root) else {
                Issue.record("no help for \(words)")
                continue
            }
            #expect(CommandLineParser.pathName(commands) == path)
        }
        let text = HelpFormatter.render([Self.root, Self.run])
        #expect(text.contains("USAGE: tool run [<options>] <name> [<value>] [-- <command> ...]"))
        #expect(text.contains("  -f, --format <format>     Format. (default: yaml)"))
        #expect(text.contains("  --config-path, --config <config-path>\n"))
        #expect(HelpFormatter.render([Self.root, Self.list]).contains("  get, show (default)       Get."))
    }

    @Test func refusals() {
        #expect(error(["run", "--nope", "x"]) == "unknown option '--nope'")
        #expect(error(["run", "-x", "x"]) == "unknown option '-x'")
        #expect(error(["run", "x", "--stack"]) == "missing value for '--stack <stack>'")
        #expect(error(["run", "x", "-s", "--force"]) == "missing value for '-s <stack>'")
        #expect(error(["run", "x", "-s", "a", "--stack=b"]) == "'--stack' given more than once")
        #expect(error(["run", "x", "--format", "xml"]) == "invalid value 'xml' for '--format': expected yaml or json")
        #expect(error(["run", "x", "--mask", "maybe"]) == "invalid value 'maybe' for '--mask': expected true or false")
        #expect(error(["run", "x", "--force=yes"]) == "'--force' takes no value")
        #expect(error(["run"]) == "missing argument <name>")
        // Extra words are counted, never echoed: one of them may be a secret typed in the wrong place.
        #expect(error(["run", "a", "b", "c"]) == "1 more argument than 'tool run' takes (not shown: they may hold a secret); the command to run goes after --")
        #expect(error(["run", "a", "b", "hunter2", "x"])?.contains("hunter2") == false)
        #expect(error(["nope"]) == "unknown command 'nope'")
        #expect(error(["grp", "nope"]) == "unknown command 'nope'")
        #expect(error(["help", "nope"]) == "unknown command 'nope'")
    }

    @Test func completion() {
        #expect(Completer.candidates(["r"], current: 0, root: Self.root) == ["run"])
        #expect(Completer.candidates(["run", "--for"], current: 1, root: Self.root) == ["--format", "--force"])
        #expect(Completer.candidates(["run", "-f", ""], current: 2, root: Self.root) == ["yaml", "json"])
        #expect(Completer.candidates(["run", "--format=j"], current: 1, root: Self.root) == ["--format=json"])
        #expect(Completer.candidates(["run", "--format", "="], current: 2, root: Self.root) == ["yaml", "json"])
        #expect(Completer.candidates(["run", "--format", "=", "y"], current: 3, root: Self.root) == ["yaml"])
        #expect(Completer.candidates(["list", "--st"], current: 1, root: Self.root) == ["--stack"])
        #expect(Completer.candidates(["run", "--", ""], current: 2, root: Self.root) == [])
    }
}
