#!/usr/bin/env python3
"""Writes the bad-input corpus: one directory per case with its files and case.txt (args, exit, stderr).

Run from this directory: python3 generate.py CLOAK_BINARY   (the binary makes the SOPS/age fixtures).
Each case must fail with exactly one stderr line containing `stderr:` and the given exit code.
"""
import os, shutil, subprocess, sys

cloak = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
cases_dir = os.path.join(here, "cases")
shutil.rmtree(cases_dir, ignore_errors=True)
os.makedirs(cases_dir)

ATMOS = "stacks:\n  base_path: stacks\n  name_pattern: \"{stage}\"\n"
DEV = "vars: {stage: dev}\ncomponents:\n  terraform:\n    api:\n      vars: {a: 1}\n"
counter = [0]

def case(slug, files, args, stderr, exit_code=1, env=""):
    counter[0] += 1
    d = os.path.join(cases_dir, f"{counter[0]:03d}-{slug}")
    os.makedirs(d)
    for path, text in files.items():
        full = os.path.join(d, "repo", path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(full, mode) as f:
            f.write(text)
    with open(os.path.join(d, "case.txt"), "w") as f:
        f.write(f"args: {args}\nexit: {exit_code}\nstderr: {stderr}\nenv: {env}\n")
    return os.path.join(d, "repo")

def repo(stack=DEV, atmos=ATMOS, extra=None):
    files = {"atmos.yaml": atmos, "stacks/dev.yaml": stack}
    files.update(extra or {})
    return files

# --- atmos.yaml
case("atmos-malformed-yaml", repo(atmos="stacks: [\n"), "list stacks", "atmos.yaml:2:1: error: invalid YAML")
case("atmos-not-a-mapping", repo(atmos="- a\n- b\n"), "list stacks", "atmos.yaml must be a mapping")
case("atmos-bad-list-merge-strategy", repo(atmos=ATMOS + "settings: {list_merge_strategy: concat}\n"), "list stacks", "invalid list_merge_strategy \"concat\"")
case("atmos-included-paths-not-list", repo(atmos="stacks: {base_path: stacks, included_paths: deploy}\n"), "list stacks", "stacks.included_paths must be a list of globs")
case("atmos-unknown-function", repo(atmos=ATMOS + "env: {A: !bogus x}\n"), "list stacks", "unknown YAML function !bogus")
case("atmos-include-missing", repo(atmos=ATMOS + "env: !include nope.yaml\n"), "list stacks", "cannot read")
case("atmos-include-hcl", repo(atmos=ATMOS + "env: !include vars.tfvars\n", extra={"vars.tfvars": "a = 1\n"}), "list stacks", "HCL files are not supported")
case("atmos-exec-fails", repo(atmos=ATMOS + "env: {A: !exec exit 3}\n"), "list stacks", "command exited with status 3")
case("atmos-import-missing", repo(atmos="import: [missing.yaml]\n" + ATMOS), "list stacks", "atmos.yaml import \"missing.yaml\" not found")
case("atmos-env-needs-name", repo(atmos=ATMOS + "env:\n  A: !env\n"), "list stacks", "!env needs a variable name")
case("atmos-redis-secret-store", repo(atmos=ATMOS + "stores: {cache: {kind: redis, secret: true}}\n",
     stack=DEV.replace("vars: {a: 1}", "secrets: {vars: {X: {store: cache}}}")), "get X -s dev -c api", "store cannot be marked secret")
case("atmos-store-without-kind", repo(atmos=ATMOS + "stores: {s: {options: {}}}\n",
     stack=DEV.replace("vars: {a: 1}", "secrets: {vars: {X: {store: s}}}")), "get X -s dev -c api", "store \"s\" needs a kind")
case("atmos-providers-not-mapping", repo(atmos=ATMOS + "secrets: {providers: [a]}\n",
     stack=DEV.replace("vars: {a: 1}", "secrets: {vars: {X: {sops: a}}}")), "get X -s dev -c api", "secrets.providers must be a mapping")
case("config-path-missing", repo(), "list stacks --config-path nowhere", "--config-path: nowhere does not exist")
case("stacks-dir-missing", {"atmos.yaml": "stacks: {base_path: nothere}\n"}, "list stacks", "stacks directory nothere does not exist")

# --- manifests
case("manifest-malformed-flow", repo(stack="vars: {a: [1, 2}\n"), "list stacks", "stacks/dev.yaml:1:")
case("manifest-unclosed-quote", repo(stack="vars:\n  a: \"open\n"), "list stacks", "stacks/dev.yaml:")
case("manifest-bad-indentation", repo(stack="vars:\n  a: 1\n   b: 2\n"), "list stacks", "stacks/dev.yaml:3:")
case("manifest-tab-indent", repo(stack="vars:\n\ta: 1\n"), "list stacks", "stacks/dev.yaml:2:")
case("manifest-duplicate-key", repo(stack="vars: {stage: dev}\nvars: {stage: prod}\n"), "list stacks", "mapping key \"vars\" already defined at line 1")
case("manifest-top-level-list", repo(stack="- a\n"), "list stacks", "a stack manifest must be a mapping")
case("manifest-invalid-utf8", repo(stack=b"vars: {stage: \xff\xfe}\n"), "list stacks", "not valid UTF-8")
case("manifest-import-cycle", repo(stack="import: [catalog/a]\n" + DEV, extra={"stacks/catalog/a.yaml": "import: [catalog/b]\n", "stacks/catalog/b.yaml": "import: [catalog/a]\n"}), "describe component api -s dev", "import cycle")
case("manifest-import-missing", repo(stack="import: [catalog/nope]\n" + DEV), "list stacks", "import \"catalog/nope\" not found")
case("manifest-import-glob-empty", repo(stack="import: [catalog/x*]\n" + DEV, extra={"stacks/catalog/.keep": ""}), "list stacks", "matched no manifests")
case("manifest-import-remote", repo(stack="import: [\"https://example.com/x.yaml\"]\n" + DEV), "list stacks", "remote imports are not supported")
case("manifest-import-no-path", repo(stack="import: [{context: {a: 1}}]\n" + DEV), "list stacks", "import entry needs a path")
case("manifest-import-context-not-map", repo(stack="import: [{path: catalog/a, context: [1]}]\n" + DEV, extra={"stacks/catalog/a.yaml": "vars: {}\n"}), "list stacks", "import context must be a mapping")
case("manifest-template-missing-key", repo(stack="import: [catalog/t]\n" + DEV, extra={"stacks/catalog/t.yaml.tmpl": "vars:\n  x: {{ .nothing.here }}\n"}), "list stacks", "stacks/catalog/t.yaml.tmpl")
case("manifest-template-bad-syntax", repo(stack="import: [catalog/t]\n" + DEV, extra={"stacks/catalog/t.yaml.tmpl": "vars:\n  x: {{ if }}\n"}), "list stacks", "stacks/catalog/t.yaml.tmpl")
case("manifest-template-unknown-function", repo(stack="import: [catalog/t]\n" + DEV, extra={"stacks/catalog/t.yaml.tmpl": "vars:\n  x: {{ frobnicate 1 }}\n"}), "list stacks", "function \"frobnicate\" not defined")
case("manifest-unknown-function", repo(stack=DEV.replace("{a: 1}", "{a: !nope x}")), "list stacks", "unknown YAML function !nope")
case("manifest-name-pattern-var-missing", repo(stack="components:\n  terraform:\n    api: {}\n"), "list stacks", "has no vars.stage, which stacks.name_pattern")
case("manifest-duplicate-stack-names", repo(extra={"stacks/other.yaml": DEV}), "list stacks", "duplicate stack name \"dev\"")
case("manifest-alias-bomb", repo(stack="a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n" + DEV), "list stacks", "stacks/dev.yaml:")
case("stack-unknown", repo(), "describe component api -s dve", "did you mean \"dev\"")
case("component-unknown", repo(), "describe component apx -s dev", "could not find the component \"apx\"")
case("inheritance-cycle", repo(stack="vars: {stage: dev}\ncomponents:\n  terraform:\n    a: {metadata: {inherits: [b]}}\n    b: {metadata: {inherits: [a]}}\n"), "describe component a -s dev", "inheritance cycle: a -> b -> a")
case("inheritance-missing-base", repo(stack="vars: {stage: dev}\ncomponents:\n  terraform:\n    a: {metadata: {inherits: [nope]}}\n"), "describe component a -s dev", "inherits from \"nope\", which is not defined")
case("component-not-mapping", repo(stack="vars: {stage: dev}\ncomponents:\n  terraform:\n    a: [1]\n"), "describe component a -s dev", "component \"a\" must be a mapping")

# --- declarations
SEC = lambda body: DEV.replace("vars: {a: 1}", "secrets:\n        vars:\n" + body)
case("decl-scope-conflict", repo(stack=SEC("          X: {sops: p, scope: stack}\n")), "describe component api -s dev", "secret scope conflicts with declaration position")
case("decl-invalid-scope", repo(stack=SEC("          X: {sops: p, scope: team}\n")), "describe component api -s dev", "has scope \"team\"")
case("decl-store-and-sops", repo(stack=SEC("          X: {sops: p, store: s}\n")), "get X -s dev -c api", "declares both store: and sops:")
case("decl-empty-name", repo(stack=SEC("          \"\": {sops: p}\n")), "list -s dev -c api", "secret name cannot be empty")
case("decl-vars-not-mapping", repo(stack=DEV.replace("vars: {a: 1}", "secrets: {vars: [X]}")), "list -s dev -c api", "secrets.vars must be a mapping")
case("decl-bad-as", repo(stack=SEC("          X: {sops: p, as: disk}\n")), "list -s dev -c api", "as: must be env or file")
case("decl-undeclared", repo(stack=SEC("          X: {sops: p}\n")), "get Y -s dev -c api", "secret is not declared: \"Y\"")
case("decl-unknown-provider", repo(stack=SEC("          X: {sops: p}\n")), "get X -s dev -c api", "referenced secrets provider is not configured: \"p\"")
case("decl-unknown-store", repo(stack=SEC("          X: {store: vault}\n")), "get X -s dev -c api", "referenced store is not configured: \"vault\"")
case("decl-store-not-secret", repo(atmos=ATMOS + "stores: {plain: {kind: aws/ssm}}\n", stack=SEC("          X: {store: plain}\n")), "get X -s dev -c api", "referenced store is not a secret store")
case("decl-no-backend", repo(stack=SEC("          X: {description: x}\n")), "get X -s dev -c api", "secret declaration has no backend")
case("decl-sops-global", repo(atmos=ATMOS + "secrets: {providers: {p: {kind: sops/age, spec: {file: x.enc.yaml}}}}\n", stack=SEC("          X: {sops: p, scope: global}\n")), "get X -s dev -c api", "secret scope not supported by backend")
case("secret-tag-bad-modifier", repo(atmos=ATMOS + "secrets: {providers: {p: {kind: sops/age}}}\n", stack=DEV.replace("vars: {a: 1}", "vars: {a: !secret X | frob y}\n      secrets: {vars: {X: {sops: p}}}")), "describe component api -s dev --mask=false", "unknown modifier \"frob y\"")
case("secret-tag-empty-name", repo(stack=DEV.replace("{a: 1}", "{a: !secret \"\"}")), "describe component api -s dev --mask=false", "secret name cannot be empty")
case("secret-tag-undeclared", repo(stack=DEV.replace("{a: 1}", "{a: !secret NOPE}")), "describe component api -s dev --mask=false", "declare it under the component's secrets.vars")
case("sops-template-error", repo(atmos=ATMOS + "secrets: {providers: {p: {kind: sops/age, spec: {file: \"{{ .nope }}.yaml\"}}}}\n", stack=SEC("          X: {sops: p}\n")), "get X -s dev -c api", "failed to render SOPS file path template")

# --- SOPS and age files (fixtures made with cloak itself)
tmp = os.path.join(here, ".work")
shutil.rmtree(tmp, ignore_errors=True); os.makedirs(tmp)
subprocess.run([cloak, "age", "keygen", "-o", f"{tmp}/key.txt"], check=True, capture_output=True)
subprocess.run([cloak, "age", "keygen", "-o", f"{tmp}/other.txt"], check=True, capture_output=True)
key = open(f"{tmp}/key.txt").read()
other = open(f"{tmp}/other.txt").read()
recipient = [l for l in key.splitlines() if l.startswith("# public key: ")][0].split()[-1]
open(f"{tmp}/p.yaml", "w").write("a: one\nb_unencrypted: plain\nnested:\n    c: two\n")
enc = subprocess.run([cloak, "sops", "encrypt", f"{tmp}/p.yaml", "--age", recipient], check=True, capture_output=True, text=True).stdout
def sops_case(slug, content, stderr, args="sops decrypt f.enc.yaml", keyfile=key):
    case(slug, {"f.enc.yaml": content, "key.txt": keyfile}, args, stderr)
sops_case("sops-not-a-sops-file", "a: b\n", "not a SOPS file")
sops_case("sops-tampered-unencrypted", enc.replace("plain", "edited"), "MAC mismatch")
sops_case("sops-tampered-lastmodified", enc.replace("lastmodified: \"20", "lastmodified: \"19"), "MAC mismatch")
import re
flip = re.sub(r"(a: ENC\[AES256_GCM,data:)(.)", lambda m: m.group(1) + ("B" if m.group(2) != "B" else "C"), enc, count=1)
sops_case("sops-tampered-value", flip, "f.enc.yaml")
sops_case("sops-wrong-key", enc, "SOPS_AGE_KEY_FILE", keyfile=other)
sops_case("sops-bad-enc-format", enc.replace("a: ENC[AES256_GCM,data:", "a: ENC[AES256_GCM,dat:", 1), "f.enc.yaml")
sops_case("sops-truncated-armor", re.sub(r"-----END AGE ENCRYPTED FILE-----", "", enc, count=1), "f.enc.yaml")
sops_case("sops-empty-file", "", "f.enc.yaml")
sops_case("sops-binary-garbage", bytes(range(256)) * 4, "f.enc.yaml")
sops_case("sops-missing-file", enc, "cannot read", args="sops decrypt nothere.enc.yaml")
sops_case("sops-bad-extract-path", enc, "invalid tree path", args="sops decrypt f.enc.yaml --extract '[\"a\"'")
sops_case("sops-extract-missing", enc, "no value at", args="sops decrypt f.enc.yaml --extract '[\"zzz\"]'")
sops_case("sops-bad-input-type", enc, "--input-type toml", args="sops decrypt f.enc.yaml --input-type toml")
sops_case("sops-bad-output-type", enc, "--output-type toml", args="sops decrypt f.enc.yaml --output-type toml")
sops_case("sops-set-bad-json", enc, "invalid JSON", args="sops set f.enc.yaml '[\"a\"]' '{not json'")
sops_case("sops-encrypt-no-recipients", "a: b\n", "failed to resolve SOPS recipients", args="sops encrypt f.enc.yaml")
sops_case("sops-encrypt-already-encrypted", enc, "file already encrypted", args=f"sops encrypt f.enc.yaml --age {recipient}")
sops_case("age-key-file-invalid-line", enc, "key.txt", keyfile="# comment\nAGE-SECRET-KEY-1NOTVALID\n")
sops_case("age-key-file-empty", enc, "no identities found", keyfile="# nothing here\n")
sops_case("age-key-file-bad-checksum", enc, "key.txt", keyfile=key.replace(key.strip().splitlines()[-1][-3:], "QQQ"))
sops_case("age-bad-recipient", "a: b\n", "invalid recipient \"age1notarecipient\"", args="sops encrypt f.enc.yaml --age age1notarecipient")

# --- flags
case("flag-raw-with-json", repo(), "get X -s dev -c api --raw --format json", "--raw is text-only")
case("flag-exec-no-command", repo(), "exec -s dev -c api", "no command specified")
case("flag-exec-bad-timeout", repo(), "exec -s dev -c api --kill-timeout soon -- true", "--kill-timeout soon")
case("flag-delete-no-name", repo(), "delete -s dev -c api", "a secret NAME is required")
case("flag-delete-needs-tty", repo(stack=SEC("          X: {sops: p}\n")), "delete X -s dev -c api", "confirmation prompt failed")
case("flag-set-no-value-no-tty", repo(atmos=ATMOS + "secrets: {providers: {p: {kind: sops/age}}}\n", stack=SEC("          X: {sops: p}\n")), "set X -s dev -c api", "secret prompt failed")
case("flag-list-bad-env-format", repo(), "list", "ATMOS_SECRET_LIST_FORMAT=xml", env="ATMOS_SECRET_LIST_FORMAT=xml")
case("flag-import-bad-format", repo(extra={"in.env": "A=1\n"}), "import in.env --format toml -s dev -c api", "unsupported format (use env or json)")
case("flag-push-undeclared", repo(stack=SEC("          X: {sops: p}\n"), extra={"in.env": "Y=1\n"}), "push --input in.env -s dev -c api", "key \"Y\" is not declared as a secret")
case("flag-init-all-with-stack", repo(), "init --all -s dev", "--all cannot be combined with -s or -c")
case("flag-describe-bad-query", repo(), "describe component api -s dev --query '.a[x]'", "invalid query")
case("flag-keygen-unknown-vault", repo(atmos=ATMOS + "secrets: {providers: {p: {kind: sops/age}}}\n"), "keygen q", "vault `q` is not configured")
case("flag-keygen-multiple-vaults", repo(atmos=ATMOS + "secrets: {providers: {p: {kind: sops/age}, q: {kind: sops/age}}}\n"), "keygen", "multiple vaults configured; name one")
case("flag-missing-stack-non-interactive", repo(stack=SEC("          X: {sops: p}\n")), "get X", "--stack is required for secret operations")
case("flag-missing-component-non-interactive", repo(stack=SEC("          X: {sops: p}\n")), "get X -s dev", "--component is required for secret operations")
case("flag-unknown-stack-for-exec", repo(), "exec -s nope -c api -- true", "invalid stack: stack \"nope\" not found")

shutil.rmtree(tmp, ignore_errors=True)
print(f"{counter[0]} cases")
