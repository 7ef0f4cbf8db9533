#!/usr/bin/env python3
"""Generates a synthetic Atmos repository for benchmarks.

Usage: gen-stacks.py OUT_DIR [STACKS]   (default 300 top-level stacks)

Layout: name_pattern {tenant}-{environment}-{stage}; each top-level stack imports its environment defaults, which
import the tenant defaults, which import the whole catalog (a 3-level import chain); the catalog holds 60 components,
20 abstract bases and 40 deployable components that inherit from them (some through two levels).
"""
import os
import sys

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
tenants = [f"t{i}" for i in range(5)]
environments = [f"e{i}" for i in range(6)]
stages = [f"s{i}" for i in range(10)]


def write(path, text):
    full = os.path.join(out, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)


write("atmos.yaml", """base_path: "."
components:
  terraform:
    base_path: components/terraform
stacks:
  base_path: stacks
  included_paths: ["orgs/**/*"]
  excluded_paths: ["**/_defaults.yaml"]
  name_pattern: "{tenant}-{environment}-{stage}"
""")

catalog_imports = []
for b in range(20):
    lines = [f"components:\n  terraform:\n    base-{b}:\n      metadata:\n        type: abstract\n        component: mod-{b % 7}\n"]
    if b >= 10:
        lines.append(f"        inherits: [base-{b - 10}]\n")
    lines.append(f"      vars:\n        size: {b}\n        tags:\n          layer: base-{b}\n          team: team-{b % 4}\n")
    lines.append(f"      settings:\n        spacelift:\n          workspace_enabled: {str(b % 2 == 0).lower()}\n")
    write(f"stacks/catalog/base-{b}.yaml", "".join(lines))
    catalog_imports.append(f"catalog/base-{b}")
for c in range(40):
    text = (f"components:\n  terraform:\n    c-{c}:\n      metadata:\n        inherits: [base-{c % 20}]\n"
            f"      vars:\n        name: c-{c}\n        enabled: true\n        list: [a, b, c]\n        nested:\n"
            f"          deep:\n            key: value-{c}\n      env:\n        COMPONENT: c-{c}\n")
    write(f"stacks/catalog/c-{c}.yaml", text)
    catalog_imports.append(f"catalog/c-{c}")

n = 0
for t in tenants:
    write(f"stacks/orgs/{t}/_defaults.yaml",
          "import:\n" + "".join(f"  - {i}\n" for i in catalog_imports) + f"vars:\n  tenant: {t}\n  namespace: acme\n")
    for e in environments:
        write(f"stacks/orgs/{t}/{e}/_defaults.yaml", f"import:\n  - orgs/{t}/_defaults\nvars:\n  environment: {e}\n  region: r-{e}\n")
        for s in stages:
            if n >= count:
                break
            n += 1
            write(f"stacks/orgs/{t}/{e}/{s}.yaml",
                  f"import:\n  - orgs/{t}/{e}/_defaults\nvars:\n  stage: {s}\ncomponents:\n  terraform:\n"
                  f"    c-1:\n      vars:\n        size: 99\n    c-2:\n      vars:\n        stage_specific: {s}\n")
print(f"wrote {n} stacks to {out}")
