import Core
import Testing
import YAML
@testable import Resolve

@Suite struct TemplateEngineTests {
    @Test func executionErrorNamesTemplateLineAndColumn() throws {
        let template = try GoTemplate("line one\n  {{ .vars.nope }}", name: "name_template")
        #expect(throws: CloakError.self) { try template.render(templateData) }
        do {
            _ = try template.render(templateData)
        } catch {
            #expect(error.location == SourceLocation(file: "name_template", line: 2, column: 6))
            #expect(
                error.description
                    == #"name_template:2:6: error: template "name_template": at <.vars.nope>: map has no entry for key "nope""#
            )
        }
    }

    @Test func parseErrorPointsAtTheToken() {
        do {
            _ = try GoTemplate("ok {{ .x | nosuch }}", name: "t")
            Issue.record("parsed")
        } catch {
            #expect(error.location == SourceLocation(file: "t", line: 1, column: 12))
            #expect(error.message == #"template "t": function "nosuch" not defined"#)
        }
    }

    @Test func baseLocationShiftsErrorsIntoTheYAMLFile() {
        let base = SourceLocation(file: "stacks/dev.yaml", line: 10, column: 16)
        do {
            _ = try GoTemplate("{{ .x }}{{ end }}", name: "spec.file", base: base)
            Issue.record("parsed")
        } catch {
            #expect(error.location == SourceLocation(file: "stacks/dev.yaml", line: 10, column: 24))
        }
        do {
            let template = try GoTemplate("a\n{{ .missing }}", name: "spec.file", base: base)
            _ = try template.render(templateData)
            Issue.record("rendered")
        } catch {
            #expect(error.location == SourceLocation(file: "stacks/dev.yaml", line: 11, column: 4))
            #expect(error.message.hasPrefix(#"template "spec.file": "#))
        }
    }

    @Test func callersRegisterFunctions() throws {
        var functions = TemplateFunctions.standard
        functions.register("double") { (arguments) throws(CloakError) in
            guard case .int(let number) = arguments.first else { throw CloakError(.config, "want an int") }
            return .int(number * 2)
        }
        let template = try GoTemplate("{{ .n | double }}", name: "t", functions: functions)
        #expect(try template.render(templateData, functions: functions) == "6")
        do {
            _ = try template.render(.mapping(["n": .string("x")]), functions: functions)
            Issue.record("rendered")
        } catch {
            #expect(error.message == #"template "t": at <double>: error calling double: want an int"#)
        }
        // Rendering without the function is an execution error rather than a crash.
        #expect(throws: CloakError.self) { try template.render(templateData) }
        // The standard set does not know it at parse time.
        #expect(throws: CloakError.self) { try GoTemplate("{{ double 1 }}", name: "t") }
        #expect(TemplateFunctions().contains("and"))
        #expect(!TemplateFunctions().contains("len"))
    }

    @Test func envReadsTheProcessEnvironmentByDefault() throws {
        let template = try GoTemplate(#"[{{ env "CLOAK_TEMPLATE_SURELY_UNSET_1234" }}]"#, name: "t")
        #expect(try template.render(.mapping([])) == "[]")
        #expect(try template.render(.mapping([]), environment: ["CLOAK_TEMPLATE_SURELY_UNSET_1234": "x"]) == "[x]")
        let path = try GoTemplate(#"{{ if env "PATH" }}set{{ end }}"#, name: "t")
        #expect(try path.render(.mapping([])) == "set")
    }

    @Test func valuesConvertFromAndToNodes() {
        let node = Node.mapping([
            "s": .string("42"), "i": .plain("42"), "f": .plain("2.5"), "b": .plain("false"), "n": .null,
            "l": .sequence([.plain("0x10")]),
        ])
        let value = TemplateValue(node)
        let expected = TemplateValue.map(
            TemplateMap([
                ("s", .string("42")), ("i", .int(42)), ("f", .float(2.5)), ("b", .bool(false)), ("n", .null),
                ("l", .list([.int(16)])),
            ]))
        #expect(value == expected)
        let back = JSON.serialize(value.node, options: JSONOptions(indent: nil, trailingNewline: false))
        #expect(back == #"{"s":"42","i":42,"f":2.5,"b":false,"n":null,"l":[16]}"#)
    }

    @Test func renderAcceptsTemplateValues() throws {
        let template = try GoTemplate("{{ .a }}", name: "t")
        let data = TemplateValue.map(TemplateMap([("a", .list([.int(1), .float(0.5)]))]))
        #expect(try template.render(value: data) == "[1 0.5]")
    }

    @Test func deepTemplateRecursionIsAnError() throws {
        let template = try GoTemplate(#"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" 1 }}"#, name: "t")
        #expect(throws: CloakError.self) { try template.render(.null) }
    }
}
