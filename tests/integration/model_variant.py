#!/usr/bin/env python3
"""Write a variant of a CPU model file for a test: model_variant.py BASE.json OUT.json NAME
[LEAF.SUB.REG=VALUE ...] [arch_capabilities=VALUE].  Only tests use variants; every
built-in model stays sourced in data/models/."""
import json
import sys

base, out, name = sys.argv[1:4]
m = json.load(open(base))
m["name"] = name
m["description"] = "test variant of %s: %s" % (m["name"], " ".join(sys.argv[4:]))
for spec in sys.argv[4:]:
    key, val = spec.split("=")
    if key == "arch_capabilities":
        m["arch_capabilities"] = val
        continue
    leaf, sub, reg = key.split(".")
    for e in m["cpuid"]:
        if int(e["leaf"], 16) == int(leaf, 16) and int(e["subleaf"], 16) == int(sub, 16):
            e[reg] = val
            break
    else:
        e = {"leaf": leaf, "subleaf": sub, "eax": "0x0", "ebx": "0x0", "ecx": "0x0", "edx": "0x0"}
        e[reg] = val
        m["cpuid"].append(e)
json.dump(m, open(out, "w"), indent=2)
