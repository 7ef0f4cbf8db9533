import Core
import Testing
import YAML
@testable import Resolve

/// One row of the table: a template, and either its output or a substring of its error.
struct TemplateCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        case output(String)
        case error(String)
    }

    let template: String
    let expected: Expected
    let sourceLine: Int

    init(_ template: String, _ output: String, line: Int = #line) {
        self.template = template
        self.expected = .output(output)
        self.sourceLine = line
    }

    init(_ template: String, error: String, line: Int = #line) {
        self.template = template
        self.expected = .error(error)
        self.sourceLine = line
    }

    var testDescription: String { "line \(sourceLine): \(template)" }
}

/// The data every table case renders against, built in code as a YAML loader would build it.
let templateData = Node.mapping([
    "vars": .mapping([
        "tenant": .string("acme"), "environment": .string("ue1"), "stage": .string("dev"),
    ]),
    "atmos_stack": .plain("acme-ue1-dev"),
    "x": .string("a"),
    "n": .plain("3"),
    "f": .plain("1.5"),
    "big": .plain("1000000"),
    "t": .plain("true"),
    "empty": .string(""),
    "nothing": .null,
    "list": .sequence([.string("a"), .string("b"), .string("c")]),
    "nums": .sequence([.plain("1"), .plain("2"), .plain("3")]),
    "m": .mapping(["b": .plain("2"), "a": .plain("1"), "c": .string("x")]),
    "j": .string(#"{"k": "v", "n": 2}"#),
    "html": .string("<a href='x'>&</a>"),
    "dashed": .mapping(["my-key": .string("v")]),
])

let templateCases: [TemplateCase] = [
    // Fields, text and Atmos-style names.
    TemplateCase("{{ .vars.stage }}", "dev"),
    TemplateCase("{{.vars.stage}}", "dev"),
    TemplateCase("{{ .vars.tenant }}-{{ .vars.environment }}-{{ .vars.stage }}", "acme-ue1-dev"),
    TemplateCase("secrets/{{ .atmos_stack }}.enc.yaml", "secrets/acme-ue1-dev.enc.yaml"),
    TemplateCase("plain text, no actions", "plain text, no actions"),
    TemplateCase("{{ .list }}", "[a b c]"),
    TemplateCase("{{ .m }}", "map[a:1 b:2 c:x]"),
    TemplateCase("{{ .nothing }}", "<no value>"),
    TemplateCase("{{ .f }} {{ .big }} {{ .t }} {{ 1e6 }} {{ 1.0 }}", "1.5 1000000 true 1e+06 1"),
    TemplateCase("{{ . | len }}", "15"),
    // Missing keys and bad field access are errors.
    TemplateCase("{{ .missing }}", error: "at <.missing>: map has no entry for key \"missing\""),
    TemplateCase("{{ .vars.missing }}", error: "at <.vars.missing>: map has no entry for key \"missing\""),
    TemplateCase("{{ .nothing.field }}", error: "nil pointer evaluating interface {}.field"),
    TemplateCase("{{ .x.y }}", error: "can't evaluate field y in type string"),
    // Conditionals.
    TemplateCase(#"{{ if eq .x "a" }}A{{ else if eq .x "b" }}B{{ else }}C{{ end }}"#, "A"),
    TemplateCase(#"{{ if eq .x "z" }}A{{ else if eq .x "a" }}B{{ else }}C{{ end }}"#, "B"),
    TemplateCase(#"{{ if eq .vars.stage "prod" }}A{{ else if .empty }}B{{ else }}C{{ end }}"#, "C"),
    TemplateCase(#"{{ if and (eq .vars.stage "dev") (ne .vars.tenant "") }}ok{{ end }}"#, "ok"),
    TemplateCase("{{ with .vars }}{{ .stage }}{{ end }}", "dev"),
    TemplateCase("{{ with .empty }}yes{{ else }}no{{ end }}", "no"),
    TemplateCase("{{ with .nothing }}x{{ else with .vars }}{{ .tenant }}{{ end }}", "acme"),
    TemplateCase("{{ if .list }}{{ if .nums }}both{{ end }}{{ end }}", "both"),
    // Range.
    TemplateCase("{{ range $i, $v := .list }}{{ $i }}={{ $v }};{{ end }}", "0=a;1=b;2=c;"),
    TemplateCase("{{ range .list }}{{ . }}{{ end }}", "abc"),
    TemplateCase("{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}", "a:1 b:2 c:x "),
    TemplateCase("{{ range .nothing }}x{{ else }}none{{ end }}", "none"),
    TemplateCase("{{ range .list }}{{ $.x }}{{ end }}", "aaa"),
    TemplateCase("{{ range $i, $v := .list }}{{ if $i }},{{ end }}{{ $v }}{{ end }}", "a,b,c"),
    TemplateCase(
        "{{ range .nums }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}",
        "1"),
    TemplateCase("{{ range 3 }}{{ . }}{{ end }}", "012"),
    TemplateCase("{{ range .x }}{{ end }}", error: "range can't iterate over a"),
    TemplateCase("{{ break }}", error: "{{break}} outside {{range}}"),
    // Whitespace trimming and comments.
    TemplateCase("a  {{- \" b \" -}}  c", "a b c"),
    TemplateCase("x\n  {{- .x }}\n", "xa\n"),
    TemplateCase("{{ .x -}}\n\n  y", "ay"),
    TemplateCase("{{/* a comment */}}ok", "ok"),
    TemplateCase("a {{- /* c */ -}} b", "ab"),
    TemplateCase("{{ -3 }}", "-3"),
    // Variables.
    TemplateCase("{{ $x := .vars.stage }}{{ $x }}", "dev"),
    TemplateCase("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", "2"),
    TemplateCase("{{ $.vars.stage }}", "dev"),
    TemplateCase("{{ $m := .m }}{{ $m.c }}", "x"),
    TemplateCase("{{ $x := 0 }}{{ range .nums }}{{ $x = . }}{{ end }}{{ $x }}", "3"),
    TemplateCase("{{ if $v := .x }}{{ $v }}{{ end }}", "a"),
    TemplateCase("{{ range $v := .nums }}{{ $v }}{{ end }}", "123"),
    TemplateCase("{{ if .x }}{{ else with .vars }}{{ end }}", error: "unexpected \"with\" in else"),
    TemplateCase("{{ $undefined }}", error: "undefined variable \"$undefined\""),
    TemplateCase("{{ if .t }}{{ $y := 1 }}{{ end }}{{ $y }}", error: "undefined variable \"$y\""),
    // Pipelines and parentheses.
    TemplateCase("{{ .x | printf \"%s!\" }}", "a!"),
    TemplateCase("{{ .vars.stage | upper | printf \"%s-x\" }}", "DEV-x"),
    TemplateCase("{{ (print \"a\" \"b\") }}", "ab"),
    TemplateCase("{{ \"x\" | eq \"x\" }}", "true"),
    TemplateCase("{{ .x | .vars }}", error: "can't give argument to non-function .vars"),
    TemplateCase("{{ 1 | 2 }}", error: "non executable command in pipeline stage 2"),
    TemplateCase("{{ nil }}", error: "nil is not a command"),
    // Literals.
    TemplateCase(#"{{ "a\tb\u00e9\x41" }}"#, "a\tbéA"),
    TemplateCase("{{ `raw\\n` }}", "raw\\n"),
    TemplateCase("{{ 0x1F }} {{ 'a' }} {{ 1_000 }} {{ -2.5 }} {{ true }}", "31 97 1000 -2.5 true"),
    // Comparisons and logic.
    TemplateCase(#"{{ eq .x "b" "c" "a" }}"#, "true"),
    TemplateCase("{{ ne .n 3 }}", "false"),
    TemplateCase(#"{{ lt 1 2 }}{{ le 2 2 }}{{ gt 1 2 }}{{ ge "b" "a" }}{{ lt 1 1.5 }}"#, "truetruefalsetruetrue"),
    TemplateCase("{{ eq .x 1 }}", error: "incompatible types for comparison"),
    TemplateCase("{{ eq .list .list }}", error: "non-comparable type"),
    TemplateCase(#"{{ and .x .empty "z" }}|"#, "|"),
    TemplateCase(#"{{ or .empty .nothing "z" }}"#, "z"),
    TemplateCase("{{ and .nothing .nothing.field }}", "<no value>"),
    TemplateCase("{{ or .x .missing }}", "a"),
    TemplateCase("{{ not .t }}", "false"),
    // Go builtins.
    TemplateCase("{{ len .list }} {{ len .m }} {{ len \"héllo\" }}", "3 3 6"),
    TemplateCase("{{ index .list 1 }}", "b"),
    TemplateCase(#"{{ index .dashed "my-key" }}"#, "v"),
    TemplateCase(#"{{ index .m "zzz" }}"#, "<no value>"),
    TemplateCase("{{ index .list 5 }}", error: "error calling index: index out of range: 5"),
    TemplateCase("{{ slice .list 1 }} {{ slice \"hello\" 1 3 }}", "[b c] el"),
    TemplateCase(#"{{ print 1 2 "a" "b" 3 }}"#, "1 2ab3"),
    TemplateCase(#"{{ println "a" 1 }}"#, "a 1\n"),
    TemplateCase("{{ html .html }}", "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"),
    TemplateCase(#"{{ js "a'b\"<=" }}"#, #"a\'b\"\u003C\u003D"#),
    TemplateCase(#"{{ urlquery "a b&c=d/é" }}"#, "a+b%26c%3Dd%2F%C3%A9"),
    TemplateCase("{{ len .nothing }}", error: "len of nil pointer"),
    // printf.
    TemplateCase(#"{{ printf "%s-%d" .x 3 }}"#, "a-3"),
    TemplateCase(#"{{ 3 | printf "%d-%d" 4 }}"#, "4-3"),
    TemplateCase(#"{{ printf "%5.1f|%+d|%x|%05.1f|%8.3e" -2.25 5 -255 2.5 12345.678 }}"#, " -2.2|+5|-ff|002.5|1.235e+04"),
    TemplateCase(#"{{ printf "%v|%s|%d" .list .list .nums }}"#, "[a b c]|[a b c]|[1 2 3]"),
    TemplateCase(#"{{ printf "%q" "é\x01" }}"#, #""é\x01""#),
    TemplateCase(
        #"{{ printf "%q %v %5.2f|%-4d|%04d %t %x %X %%" "hi" .m 3.14159 7 -7 true "hi" 255 }}"#,
        #""hi" map[a:1 b:2 c:x]  3.14|7   |-007 true 6869 FF %"#),
    TemplateCase(#"{{ printf "%d" "s" }}|{{ printf "%s %s" "a" }}|{{ printf "%s" "a" 1 }}"#,
        "%!d(string=s)|a %!s(MISSING)|a%!(EXTRA int=1)"),
    TemplateCase(#"{{ printf "%v %v %v" 1.0 100000000.0 .nothing }}"#, "1 1e+08 <nil>"),
    TemplateCase(#"{{ printf "%.3s|%5s|%-5s|" "abcdef" "ab" "ab" }}"#, "abc|   ab|ab   |"),
    TemplateCase(#"{{ printf "%e %g %.2e %.1f" 1234.5678 0.000012 1234.5678 2.25 }}"#,
        "1.234568e+03 1.2e-05 1.23e+03 2.2"),
    // Widths and precisions bounded as Go bounds them (found by the template fuzz target): a digit run past 1e6 is
    // `%!(NOVERB)`, a bad `*` is `%!(BADWIDTH)`/`%!(BADPREC)`, and a negative `*` width left-justifies.
    TemplateCase(#"{{ printf "%77777777777777777777777777d|x" 1 }}"#, "%!(NOVERB)%!(EXTRA int=1)"),
    TemplateCase(#"{{ printf "%.99999999999999999999s" "a" }}"#, "%!(NOVERB)%!(EXTRA string=a)"),
    TemplateCase(#"{{ printf "%*d|%-*d|%*d" 3 1 -3 2 "w" 4 }}"#, "  1|2  |%!(BADWIDTH)4"),
    TemplateCase(#"{{ printf "%*d" 2000000 1 }}|{{ printf "%.*d" -1 5 }}|{{ printf "%.*s" 2 "abc" }}"#,
        "%!(BADWIDTH)1|%!(BADPREC)5|ab"),
    TemplateCase(#"{{ printf "%c %q %T %T" 65 "x\n" .list .m }}"#,
        #"A "x\n" []interface {} map[string]interface {}"#),
    // sprig: defaults and requirements.
    TemplateCase(#"{{ .empty | default "d" }}"#, "d"),
    TemplateCase(#"{{ .nothing | default "d" }}"#, "d"),
    TemplateCase(#"{{ .x | default "d" }}"#, "a"),
    TemplateCase(#"{{ default "d" .n }}"#, "3"),
    TemplateCase(#"{{ required "need x" .x }}"#, "a"),
    TemplateCase(#"{{ required "need x" .empty }}"#, error: "error calling required: need x"),
    TemplateCase(#"{{ required "need x" .nothing }}"#, error: "need x"),
    TemplateCase("{{ coalesce .empty .nothing .x }}", "a"),
    TemplateCase(#"{{ ternary "y" "n" .t }}{{ ternary "y" "n" false }}"#, "yn"),
    TemplateCase("{{ empty .empty }}{{ empty .x }}{{ empty 0 }}", "truefalsetrue"),
    // sprig: strings.
    TemplateCase(#"{{ lower "ABC" }}{{ upper "abc" }}"#, "abcABC"),
    TemplateCase(#"{{ title "hello world-wide" }}"#, "Hello World-Wide"),
    TemplateCase(
        #"{{ trim "  x  " }}|{{ trimPrefix "pre" "prefix" }}|{{ trimSuffix "fix" "prefix" }}|{{ trimAll "-" "--a--" }}"#,
        "x|fix|pre|a"),
    TemplateCase(#"{{ replace "-" "_" "a-b-c" }}"#, "a_b_c"),
    TemplateCase(#"{{ quote .x 1 }} {{ squote .x }}"#, #""a" "1" 'a'"#),
    TemplateCase(#"{{ join "," .list }}"#, "a,b,c"),
    TemplateCase(#"{{ splitList "," "a,b" }} {{ (split "," "a,b")._1 }}"#, "[a b] b"),
    TemplateCase(#"{{ contains "b" "abc" }}{{ hasPrefix "a" "abc" }}{{ hasSuffix "c" "abc" }}{{ contains "z" "abc" }}"#,
        "truetruetruefalse"),
    TemplateCase(#"{{ indent 2 "a\nb" }}"#, "  a\n  b"),
    TemplateCase(#"x:{{ nindent 2 "a" }}"#, "x:\n  a"),
    TemplateCase(#"{{ b64enc "hello" }} {{ b64dec "aGVsbG8=" }}"#, "aGVsbG8= hello"),
    TemplateCase(#"{{ b64dec "!!" }}"#, error: "illegal base64 data"),
    TemplateCase(#"{{ repeat 3 "ab" }} {{ substr 1 3 "hello" }} {{ trunc 3 "hello" }} {{ trunc -2 "hello" }}"#,
        "ababab el hel lo"),
    TemplateCase(#"{{ sha256sum "abc" }}"#, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    TemplateCase(#"{{ env "CLOAK_T" }}|{{ env "CLOAK_UNSET" }}"#, "v1|"),
    TemplateCase("{{ toString 5 }}{{ toString .nothing }}", "5<nil>"),
    // sprig: collections and JSON.
    TemplateCase("{{ toJson .m }}", #"{"b":2,"a":1,"c":"x"}"#),
    TemplateCase(#"{{ toJson (dict "a" 1 "b" (list true nil "x<" 1.5)) }}"#, #"{"a":1,"b":[true,null,"x\u003c",1.5]}"#),
    TemplateCase("{{ toPrettyJson .list }}", "[\n  \"a\",\n  \"b\",\n  \"c\"\n]"),
    TemplateCase("{{ (fromJson .j).k }} {{ (fromJson .j).n }}", "v 2"),
    TemplateCase(#"{{ (fromJson "{\"a\":{\"b\":[1,2.5]}}").a.b }}"#, "[1 2.5]"),
    TemplateCase(#"{{ fromJson "not json" }}"#, "map[]"),
    TemplateCase(#"{{ mustFromJson "[1," }}"#, error: "invalid JSON"),
    TemplateCase(#"{{ list 1 "a" }} {{ (dict "k" "v" "n" 1).k }}"#, "[1 a] v"),
    TemplateCase(#"{{ get .m "a" }}|{{ get .m "zz" }}|{{ hasKey .m "a" }}|{{ keys .m }}"#, "1||true|[a b c]"),
    TemplateCase(#"{{ merge (dict "a" 1 "n" (dict "x" 1)) (dict "a" 2 "b" 3 "n" (dict "y" 2)) | toJson }}"#,
        #"{"a":1,"n":{"x":1,"y":2},"b":3}"#),
    TemplateCase(#"{{ first .list }}{{ last .list }}{{ has "b" .list }}"#, "actrue"),
    // sprig: numbers.
    TemplateCase(#"{{ atoi "42" | add 1 }}"#, "43"),
    TemplateCase(#"{{ int "7" }}{{ int64 3.9 }}{{ float64 "1.5" }}"#, "731.5"),
    TemplateCase("{{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 3 }} {{ min 4 2 }}",
        "6 3 6 3 1 5 2"),
    TemplateCase("{{ .m.a | add 1 }} {{ add1 .n }}", "2 4"),
    TemplateCase("{{ div 1 0 }}", error: "integer divide by zero"),
    // define / template / block.
    TemplateCase(#"{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" .x }}{{ template "t" }}"#, "[a][<no value>]"),
    TemplateCase(#"{{ block "b" .vars }}{{ .stage }}{{ end }}"#, "dev"),
    TemplateCase(#"{{ template "nope" }}"#, error: "no such template \"nope\""),
    TemplateCase(#"{{ define "r" }}{{ if . }}{{ template "r" }}{{ end }}{{ end }}{{ template "r" 1 }}"#, ""),
    // Parse errors.
    TemplateCase("{{ nosuch .x }}", error: "function \"nosuch\" not defined"),
    TemplateCase("{{ if .x }}open", error: "unexpected EOF"),
    TemplateCase("{{ end }}", error: "unexpected {{end}}"),
    TemplateCase("{{ else }}", error: "unexpected {{else}}"),
    TemplateCase("{{ .x ", error: "unclosed action"),
    TemplateCase("{{ \"abc }}", error: "unterminated quoted string"),
    TemplateCase("{{ /* no */ }}", error: "unrecognized character"),
    TemplateCase("{{/* open", error: "unclosed comment"),
    TemplateCase("{{ ( .x }}", error: "unclosed left paren"),
    TemplateCase("{{ }}", error: "missing value for command"),
    TemplateCase("{{ 12abc }}", error: "bad number syntax"),
    TemplateCase("{{ $a, $b := .list }}", error: "too many declarations"),
]

@Suite struct TemplateCaseTests {
    @Test func tableIsLargeEnough() {
        #expect(templateCases.count >= 60)
    }

    @Test(arguments: templateCases)
    func renders(_ testCase: TemplateCase) {
        let result: Result<String, CloakError>
        do {
            let template = try GoTemplate(testCase.template, name: "case")
            result = .success(try template.render(templateData, environment: ["CLOAK_T": "v1"]))
        } catch {
            result = .failure(error)
        }
        switch (testCase.expected, result) {
        case (.output(let expected), .success(let output)):
            #expect(output == expected)
        case (.output, .failure(let error)):
            Issue.record("unexpected error: \(error)")
        case (.error(let fragment), .failure(let error)):
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.message.hasPrefix("template \"case\": "), "\(error)")
            #expect(error.code == .config)
            #expect(error.location?.file == "case")
            #expect((error.location?.line ?? 0) >= 1)
        case (.error(let fragment), .success(let output)):
            Issue.record("expected error containing \(fragment), got output \(output)")
        }
    }
}
