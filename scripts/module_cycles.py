"""Finds import cycles between the modules of each crate (issue 17: "no module cycles anywhere").

    python3 scripts/module_cycles.py [--crate DIR ...] [--allow NAME ...]
    # default: every crate under crates/; --allow reports a crate's cycles without failing

A module is a source file (`lib.rs`/`main.rs` is the crate root, `foo/mod.rs` is `foo`). Module
A depends on B when A's code (doc comments and `#[cfg(test)]` modules left out) names `crate::B`
(or `crate::B::...`, also inside `use crate::{B, ...}` groups) or `super::B` from a sibling.
The crate root is left out of the graph; a name it re-exports (`crate::Luma8` for
`pub use scan::Luma8`) counts as the module that defines it. Prints each cycle (a
strongly connected component of two or more modules, or one module naming itself through the
root is not counted) and exits 1 if there is any, 0 otherwise.
"""

import argparse
import os
import re
import sys


def module_name(src, path):
    rel = os.path.relpath(path, src)[:-3].replace(os.sep, "::")
    if rel in ("lib", "main"):
        return None
    if rel.endswith("::mod"):
        rel = rel[: -len("::mod")]
    return rel


def strip(text):
    """The code without comments, string literals and #[cfg(test)] modules."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def reexports(root_code, modules):
    """Names the crate root re-exports (`pub use a::{B, C}`, `pub use a::b::D`) -> their module."""
    names = {}
    for m in re.finditer(r"\bpub\s+use\s+([A-Za-z_][\w:]*?)(?:::\{([^}]*)\}|::([A-Za-z_]\w*))\s*;", root_code):
        base, group, single = m.group(1), m.group(2), m.group(3)
        mod = longest(base, modules)
        if not mod:
            continue
        for item in (group.split(",") if group else [single]):
            item = item.strip().split(" as ")[-1].strip()
            if item and item != "self":
                names[item.split("::")[-1]] = next(iter(mod))
    return names


def references(code, modules, me, names=None):
    """Modules of this crate that `code` names (a root re-export counts as its module)."""
    names = names or {}
    found = set()
    # `crate::a::b` paths, and `use crate::{a, b::c}` groups (one level of nesting).
    for m in re.finditer(r"\bcrate::(\{[^;]*\}|[A-Za-z_][\w:]*)", code):
        body = m.group(1)
        parts = re.findall(r"[A-Za-z_]\w*(?:::[A-Za-z_]\w*)*", body) if body.startswith("{") else [body]
        for p in parts:
            hit = longest(p, modules)
            if not hit and p.split("::")[0] in names:
                hit = {names[p.split("::")[0]]}
            found |= hit
    parent = me.rsplit("::", 1)[0] if "::" in me else ""
    for m in re.finditer(r"\bsuper::(\{[^;]*\}|[A-Za-z_][\w:]*)", code):
        body = m.group(1)
        parts = re.findall(r"[A-Za-z_]\w*(?:::[A-Za-z_]\w*)*", body) if body.startswith("{") else [body]
        for p in parts:
            found |= longest(f"{parent}::{p}" if parent else p, modules)
    found.discard(me)
    # A submodule naming its parent module (or the reverse) is the module tree, not a cycle.
    return {f for f in found if not (me.startswith(f + "::"))}


def longest(path, modules):
    segs = path.split("::")
    for n in range(len(segs), 0, -1):
        cand = "::".join(segs[:n])
        if cand in modules:
            return {cand}
    return set()


def sccs(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def crate_cycles(crate):
    src = os.path.join(crate, "src")
    files = []
    for root, _, names in os.walk(src):
        files += [os.path.join(root, n) for n in names if n.endswith(".rs")]
    mods = {}
    for f in files:
        name = module_name(src, f)
        if name is not None:
            mods[name] = f
    names = {}
    for root_file in ("lib.rs", "main.rs"):
        path = os.path.join(src, root_file)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                names.update(reexports(strip(fh.read()), mods))
    graph = {}
    for name, f in mods.items():
        with open(f, encoding="utf-8") as fh:
            graph[name] = references(strip(fh.read()), mods, name, names)
    return graph, [c for c in sccs(graph) if len(c) > 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--crate", action="append", help="a crate folder (default: crates/*)")
    ap.add_argument("--allow", action="append", default=[],
                    help="a crate whose cycles are known and being removed: listed, not failed")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    crates = args.crate or sorted(
        os.path.join(root, "crates", c) for c in os.listdir(os.path.join(root, "crates"))
        if os.path.isfile(os.path.join(root, "crates", c, "Cargo.toml")))
    bad = 0
    for crate in crates:
        graph, cycles = crate_cycles(crate)
        name = os.path.basename(crate.rstrip("/"))
        if not cycles:
            print(f"{name}: {len(graph)} modules, no cycle")
        for c in cycles:
            allowed = name in args.allow
            bad += 0 if allowed else 1
            edges = [f"{a} -> {b}" for a in c for b in sorted(graph[a]) if b in c]
            print(f"{name}: cycle among {', '.join(c)}: {'; '.join(edges)}"
                  f"{' (allowed: being removed)' if allowed else ''}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
