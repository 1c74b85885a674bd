#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the YNL spec and the uapi header describe the same family.

Documentation/netlink/specs/shadowvmm.yaml is what ynl and readers go by;
include/uapi/linux/shadowvmm.h is what the module and the CLI compile
against. Both are written by hand, so this compares them item by item:
family name and version, the multicast group, every constant and flag,
every enum and its values, every command and its number, every attribute,
its number and the type the header's comment gives it. The C names come
from the spec's naming rules (name-prefix, enum-name, c-*-name), as
ynl-gen-c would derive them.

With a kernel tree's schema (KSRC=/path/to/linux, 6.3 or newer) and
python3-jsonschema, the spec is also validated against
Documentation/netlink/genetlink-legacy.yaml.

Prints "PASS ctl/spec-<what>" or "FAIL ctl/spec-<what>: why" lines; exits
1 on any failure.
"""
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SPEC = os.path.join(ROOT, "Documentation/netlink/specs/shadowvmm.yaml")
HEADER = os.path.join(ROOT, "include/uapi/linux/shadowvmm.h")

failed = False


def report(name, problems):
    global failed
    if problems:
        failed = True
        print(f"FAIL ctl/spec-{name}: {'; '.join(problems)[:600]}")
    else:
        print(f"PASS ctl/spec-{name}")


def c_upper(name):
    return name.upper().replace("-", "_")


def c_lower(name):
    return name.lower().replace("-", "_")


def c_int(text):
    """A C integer expression of the header: (2ULL << 20), (1U << 1), 16."""
    expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", text)
    if not re.fullmatch(r"[\s0-9a-fA-FxX()<>+\-*|]+", expr):
        return None
    return eval(expr, {"__builtins__": {}})  # digits and operators only


def parse_header(text):
    """#defines, enums (name -> [(entry, value)]) and attribute types."""
    code = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    defines = {}
    for m in re.finditer(r"^#define[ \t]+(\w+)(?:[ \t]+(.*?))?[ \t]*$", code, re.M):
        name, value = m.groups()
        value = value or ""
        if value.startswith('"'):
            defines[name] = value.strip('"')
        else:
            defines[name] = c_int(value) if c_int(value) is not None else value
    enums = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\};", code, re.S):
        entries, value = [], 0
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                item, expr = (s.strip() for s in item.split("=", 1))
                value = c_int(expr)
            entries.append((item, value))
            value += 1
        enums[m.group(1)] = entries
    # The attribute documentation: "SHADOWVMM_A_X: u32, ...", several names
    # before one colon, or "SHADOWVMM_A_X (u64)" inside another's text.
    words = {"u32": "u32", "u64": "u64", "binary": "binary",
             "nested": "nest", "string": "string",
             "NUL-terminated string": "string"}
    kinds = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    comment = " ".join(re.findall(r"/\*(.*?)\*/", text, re.S))
    comment = re.sub(r"\s*\n\s*\*\s?", " ", comment)
    types = {}
    for m in re.finditer(r"((?:SHADOWVMM_A_\w+,\s*)*SHADOWVMM_A_\w+):\s*(" + kinds + r")\b", comment):
        for name in re.findall(r"SHADOWVMM_A_\w+", m.group(1)):
            types.setdefault(name, words[m.group(2)])
    for m in re.finditer(r"(SHADOWVMM_A_\w+)\s*\((" + kinds + r")\b", comment):
        types.setdefault(m.group(1), words[m.group(2)])
    return defines, enums, types


def check(spec, defines, enums, types):
    family = spec["name"]
    described = set()

    # The family: name, version, the names of their defines.
    p = []
    cname = c_upper(spec.get("c-family-name", family + "-family-name"))
    if defines.get(cname) != family:
        p.append(f"{cname} is {defines.get(cname)!r}, the spec says {family!r}")
    vname = c_upper(spec.get("c-version-name", family + "-family-version"))
    if defines.get(vname) != spec.get("version", 1):
        p.append(f"{vname} is {defines.get(vname)!r}, the spec says {spec.get('version', 1)}")
    described |= {cname, vname}
    report("family", p)

    # Multicast groups.
    p = []
    for grp in spec.get("mcast-groups", {}).get("list", []):
        dname = c_upper(grp.get("c-define-name", f"{family}-mcgrp-{grp['name']}"))
        described.add(dname)
        if defines.get(dname) != grp["name"]:
            p.append(f"{dname} is {defines.get(dname)!r}, the spec says {grp['name']!r}")
    report("mcast-groups", p)

    # Constants, flags and enums.
    p = []
    consts = {}
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            dname = c_upper(f"{family}-{d['name']}")
            described.add(dname)
            consts[d["name"]] = d["value"]
            if defines.get(dname) != d["value"]:
                p.append(f"{dname} is {defines.get(dname)!r}, the spec says {d['value']}")
        elif d["type"] == "flags":
            prefix = d.get("name-prefix", f"{family}-{d['name']}-")
            for i, e in enumerate(d["entries"]):
                e = e if isinstance(e, dict) else {"name": e}
                dname = c_upper(prefix + str(e["name"]))
                described.add(dname)
                want = 1 << e.get("value", i)
                if defines.get(dname) != want:
                    p.append(f"{dname} is {defines.get(dname)!r}, the spec says {want:#x}")
        elif d["type"] == "enum":
            ename = c_lower(d.get("enum-name") or f"{family}-{d['name']}")
            prefix = d.get("name-prefix", f"{family}-{d['name']}-")
            want, value = [], d.get("value-start", 0)
            for e in d["entries"]:
                e = e if isinstance(e, dict) else {"name": e}
                value = e.get("value", value)
                want.append((c_upper(prefix + str(e["name"])), value))
                value += 1
            described.add(ename)
            if ename not in enums:
                p.append(f"enum {ename} is not in the header")
            elif enums[ename] != want:
                p.append(f"enum {ename} is {enums[ename]}, the spec says {want}")
    report("definitions", p)

    # Commands: one enum, UNSPEC first, then the spec's list in order.
    p = []
    ops = spec["operations"]
    ename = c_lower(ops.get("enum-name") or f"{family}-op")
    prefix = ops.get("name-prefix", f"{family}-cmd-")
    want, value = [(c_upper(prefix + "unspec"), 0)], 1
    for op in ops["list"]:
        value = op.get("value", value)
        want.append((c_upper(prefix + op["name"]), value))
        value += 1
    cnt = c_upper(spec.get("cmd-cnt-name", f"__{prefix}max"))
    want.append((cnt, value))
    described.add(ename)
    if enums.get(ename) != want:
        p.append(f"enum {ename} is {enums.get(ename)}, the spec says {want}")
    mname = c_upper(spec.get("cmd-max-name", f"{prefix}max"))
    described.add(mname)
    if mname not in defines:
        p.append(f"no {mname}")
    report("commands", p)

    # Attributes: numbers, names and types.
    p = []
    sets = {s["name"]: s for s in spec["attribute-sets"]}
    for s in spec["attribute-sets"]:
        if "subset-of" in s:
            parent = {a["name"] for a in sets[s["subset-of"]]["attributes"]}
            p += [f"set {s['name']}: {a['name']} is not in {s['subset-of']}"
                  for a in s["attributes"] if a["name"] not in parent]
            continue
        ename = c_lower(s.get("enum-name") or f"{family}-{s['name']}-attrs")
        prefix = s.get("name-prefix", f"{family}-a-{s['name']}-")
        want, value = [(c_upper(prefix + "unspec"), 0)], 1
        for a in s["attributes"]:
            value = a.get("value", value)
            aname = c_upper(prefix + a["name"])
            want.append((aname, value))
            value += 1
            if a["type"] == "pad":
                continue
            if aname not in types:
                p.append(f"{aname} has no type in the header's comment")
            elif types[aname] != a["type"]:
                p.append(f"{aname} is {types[aname]} in the header, {a['type']} in the spec")
            for key in ("enum", "nested-attributes"):
                if key in a and a[key] not in ({d["name"] for d in spec["definitions"]} if key == "enum" else sets):
                    p.append(f"{aname}: no {key} {a[key]}")
        cnt = c_upper(s.get("attr-cnt-name", f"__{prefix}max"))
        want.append((cnt, value))
        described.add(ename)
        if enums.get(ename) != want:
            got = enums.get(ename) or []
            diff = [f"{g} != {w}" for g, w in zip(got, want) if g != w][:3]
            p.append(f"enum {ename} differs from the spec ({len(got)} vs {len(want)} entries): {diff}")
        mname = c_upper(s.get("attr-max-name", f"{prefix}max"))
        described.add(mname)
        if mname not in defines:
            p.append(f"no {mname}")
    report("attributes", p)

    # The operations name only attributes of their set.
    p = []
    for op in ops["list"]:
        attrs = {a["name"] for a in sets[op.get("attribute-set", "")]["attributes"]} \
            if op.get("attribute-set") in sets else set()
        lists = [op.get("event", {}).get("attributes", [])]
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                lists.append(op.get(mode, {}).get(part, {}).get("attributes", []))
        for name in sum(lists, []):
            if name not in attrs:
                p.append(f"{op['name']}: {name} is not in set {op.get('attribute-set')}")
        if "event" not in op and "admin-perm" not in op.get("flags", []):
            p.append(f"{op['name']}: not admin-perm, as every command is")
    report("operations", p)

    # Nothing in the header that the spec leaves out.
    p = [f"#define {d}" for d in defines
         if d not in described and not d.startswith("_UAPI_")]
    p += [f"enum {e}" for e in enums if e not in described]
    report("header-covered", p)


def validate_schema(spec):
    ksrc = os.environ.get("KSRC")
    schema = ksrc and os.path.join(ksrc, "Documentation/netlink/genetlink-legacy.yaml")
    if not schema or not os.path.exists(schema):
        print("SKIP ctl/spec-schema: no kernel tree with Documentation/netlink/"
              "genetlink-legacy.yaml (set KSRC to a 6.3+ tree)")
        return
    try:
        import jsonschema
    except ImportError:
        print("SKIP ctl/spec-schema: no python3 jsonschema")
        return
    import yaml
    with open(schema) as f:
        try:
            jsonschema.validate(spec, yaml.safe_load(f))
            report("schema", [])
        except jsonschema.ValidationError as e:
            report("schema", [e.message])


def main():
    try:
        import yaml
    except ImportError:
        print("SKIP ctl/spec: no PyYAML (apt-get install python3-yaml)")
        return 0
    with open(SPEC) as f:
        spec = yaml.safe_load(f)
    with open(HEADER) as f:
        defines, enums, types = parse_header(f.read())
    check(spec, defines, enums, types)
    validate_schema(spec)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
