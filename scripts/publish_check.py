#!/usr/bin/env python3
"""Checks that qrpin's crates are ready for crates.io (run by .ci/steps/15-publish-check.sh).

  publish_check.py metadata          Cargo metadata of every workspace member and fuzz/
  publish_check.py contents DIR      the .crate files cargo package wrote to DIR

`metadata` fails when a publishable crate lacks description, license (a valid SPDX
expression), repository, keywords (1-5, crates.io's syntax), categories (1-5 crates.io slugs),
rust-version, readme (an existing file) or, for a library, documentation; when a crate that is
not for crates.io lacks `publish = false`; or when the published crates depend on each other in
a cycle (a dev-dependency with a version counts: crates.io needs it to exist first); or when a
locked dependency asks for a newer Rust than the crate's rust-version.

`contents` fails when a .crate lacks its README, the render crate lacks its fonts and their
licence, or a file a crate embeds with include_bytes!/include_str! outside test code is not in
its package.
"""

import json
import re
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

try:
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
except ImportError:  # packaging < 24.2
    sys.exit("error: python 'packaging' >= 24.2 is needed to check SPDX licence expressions")

ROOT = Path(__file__).resolve().parent.parent

# crates.io's category slugs (rust-lang/crates.io, src/boot/categories.toml).
CATEGORIES = set(
    """
    accessibility algorithms api-bindings asynchronous authentication caching
    command-line-interface command-line-utilities compression computer-vision config concurrency
    cryptography cryptography::cryptocurrencies database database-implementations
    data-structures date-and-time development-tools development-tools::build-utils
    development-tools::cargo-plugins development-tools::debugging development-tools::ffi
    development-tools::procedural-macro-helpers development-tools::profiling
    development-tools::testing email embedded emulators encoding external-ffi-bindings
    filesystem game-engines game-development games graphics gui hardware-support
    internationalization localization mathematics memory-management multimedia
    multimedia::audio multimedia::video multimedia::images multimedia::encoding
    network-programming no-std os os::linux-apis os::macos-apis os::unix-apis os::windows-apis
    parser-implementations parsing rendering rendering::engine rendering::graphics-api
    rendering::data-formats rust-patterns science science::robotics simulation template-engine
    text-editors text-processing value-formatting visualization wasm web-programming
    web-programming::http-client web-programming::http-server web-programming::websocket
    """.split()
)
# crates.io: at most 20 characters, ASCII letters, digits, '_', '-', '+', starting alphanumeric.
KEYWORD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_+-]{0,19}$")
# Workspace members that are not for crates.io.
UNPUBLISHED = {"qrpin-benches"}
# Files the render crate must ship: include_bytes! fonts and the licence they come under.
MUST_SHIP = {
    "qrpin-render": [
        "fonts/QrpinSans-Regular.ttf",
        "fonts/QrpinSans-Bold.ttf",
        "fonts/LICENSE.txt",
    ]
}

errors = []


def fail(msg):
    errors.append(msg)
    print(f"  FAIL {msg}")


def cargo_metadata(*extra):
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", *extra],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def version_tuple(v):
    """"1.88" and "1.88.0" alike: (1, 88, 0)."""
    parts = [int(x) for x in v.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def check_package(p):
    name = p["name"]
    manifest_dir = Path(p["manifest_path"]).parent
    is_lib = any("lib" in t["kind"] for t in p["targets"])
    kws = p.get("keywords") or []
    cats = p.get("categories") or []
    readme = p.get("readme")
    print(
        f"{name}: {p['license']}; rust {p['rust_version']}; keywords {kws}; categories {cats}; "
        f"readme {readme}; docs {p.get('documentation')}"
    )
    for field in ("description", "license", "repository", "rust_version"):
        if not p.get(field):
            fail(f"{name}: no {field.replace('_', '-')}")
    lic = p.get("license")
    if lic:
        try:
            if canonicalize_license_expression(lic) != lic:
                fail(f"{name}: licence {lic!r} is not in canonical SPDX form")
        except InvalidLicenseExpression as e:
            fail(f"{name}: licence {lic!r} is not an SPDX expression: {e}")
    repo = p.get("repository") or ""
    if repo and not repo.startswith("https://"):
        fail(f"{name}: repository {repo!r} is not an https URL")
    if not 1 <= len(kws) <= 5:
        fail(f"{name}: {len(kws)} keywords (crates.io takes 1 to 5 here)")
    for k in kws:
        if not KEYWORD.match(k):
            fail(f"{name}: keyword {k!r} breaks crates.io's rules")
    if not 1 <= len(cats) <= 5:
        fail(f"{name}: {len(cats)} categories (crates.io takes 1 to 5 here)")
    for c in cats:
        if c not in CATEGORIES:
            fail(f"{name}: category {c!r} is not a crates.io slug")
    if not readme:
        fail(f"{name}: no readme")
    elif not (manifest_dir / readme).is_file():
        fail(f"{name}: readme {readme} does not exist")
    if is_lib and not p.get("documentation"):
        fail(f"{name}: a library without documentation URL")


def check_cycles(published):
    """Published crates must depend on each other (normal, build, versioned dev) without cycles."""
    names = {p["name"] for p in published}
    edges = {}
    for p in published:
        out = set()
        for d in p["dependencies"]:
            if d["name"] not in names:
                continue
            if d["kind"] == "dev" and d["req"] == "*":
                continue  # a versionless path dev-dependency is dropped from the published manifest
            if d["req"] == "*":
                fail(f"{p['name']}: depends on {d['name']} without a version")
            out.add(d["name"])
        edges[p["name"]] = out
    state = {}

    def visit(n, stack):
        state[n] = 1
        for m in sorted(edges[n]):
            if state.get(m) == 1:
                fail(f"dependency cycle among published crates: {' -> '.join(stack + [n, m])}")
            elif m not in state:
                visit(m, stack + [n])
        state[n] = 2

    for n in sorted(edges):
        if n not in state:
            visit(n, [])
    order = []
    done = set()
    while len(done) < len(edges):
        ready = sorted(n for n in edges if n not in done and edges[n] <= done)
        if not ready:
            break
        order += ready
        done |= set(ready)
    if order:
        print(f"publish order: {' , '.join(order)}")


# Target-specific dependencies that a Linux or macOS build does not compile.
FOREIGN = re.compile(r"wasi|wasm|windows")


def report_msrv(published):
    """Fails when a locked normal dependency needs a newer Rust than a crate declares.

    The resolve is the workspace's (features unified over all members), so this is what the
    locked build compiles, not what a user with a fresh resolve would get.
    """
    full = cargo_metadata()
    pkgs = {p["id"]: p for p in full["packages"]}
    nodes = {n["id"]: n for n in full["resolve"]["nodes"]}
    for p in published:
        declared = version_tuple(p["rust_version"])
        seen, todo, newer = set(), [p["id"]], []
        while todo:
            node = nodes[todo.pop()]
            for dep in node["deps"]:
                if not any(
                    k["kind"] in (None, "build") and not FOREIGN.search(k.get("target") or "")
                    for k in dep["dep_kinds"]
                ):
                    continue
                if dep["pkg"] in seen:
                    continue
                seen.add(dep["pkg"])
                todo.append(dep["pkg"])
                q = pkgs[dep["pkg"]]
                rv = q.get("rust_version")
                if rv and version_tuple(rv) > declared:
                    newer.append(f"{q['name']} {q['version']} (rust {rv})")
        if newer:
            fail(
                f"{p['name']}: rust-version {p['rust_version']}, but the workspace's "
                f"locked build compiles {', '.join(sorted(newer))}: raise rust-version"
            )


def metadata():
    meta = cargo_metadata("--no-deps")
    members = set(meta["workspace_members"])
    published = []
    for p in meta["packages"]:
        if p["id"] not in members:
            continue
        if p["name"] in UNPUBLISHED:
            if p["publish"] != []:
                fail(f"{p['name']}: not for crates.io but has no `publish = false`")
            else:
                print(f"{p['name']}: publish = false")
            continue
        if p["publish"] is not None:
            fail(f"{p['name']}: publish = {p['publish']}; expected crates.io")
        published.append(p)
        check_package(p)
    fuzz = tomllib.loads((ROOT / "fuzz/Cargo.toml").read_text())["package"]
    if fuzz.get("publish") is not False:
        fail(f"{fuzz['name']} (fuzz/): no `publish = false`")
    else:
        print(f"{fuzz['name']} (fuzz/): publish = false")
    if len(published) != 6:
        fail(f"expected 6 publishable crates, found {[p['name'] for p in published]}")
    check_cycles(published)
    report_msrv(published)
    print(
        "publishable: " + ", ".join(p["name"] for p in published)
        if not errors
        else f"{len(errors)} problem(s)"
    )


INCLUDE = re.compile(r'include_(?:bytes|str)!\(\s*"([^"]+)"\s*\)')


def contents(pkg_dir):
    meta = cargo_metadata("--no-deps")
    members = set(meta["workspace_members"])
    for p in meta["packages"]:
        if p["id"] not in members or p["name"] in UNPUBLISHED:
            continue
        name, version = p["name"], p["version"]
        crate = Path(pkg_dir) / f"{name}-{version}.crate"
        if not crate.is_file():
            fail(f"{crate} was not written")
            continue
        prefix = f"{name}-{version}/"
        with tarfile.open(crate) as t:
            files = {m.name[len(prefix) :] for m in t.getmembers() if m.isfile()}
        want = ["Cargo.toml", "src/lib.rs" if name != "qrpin-cli" else "src/main.rs"]
        want += ["README.md"] + MUST_SHIP.get(name, [])
        for w in want:
            if w not in files:
                fail(f"{crate.name} lacks {w}")
        # Every include_bytes!/include_str! in non-test code must resolve inside the package.
        crate_dir = Path(p["manifest_path"]).parent
        embedded = 0
        for rs in sorted(crate_dir.glob("src/**/*.rs")):
            text = rs.read_text()
            test_from = text.find("#[cfg(test)]")
            for m in INCLUDE.finditer(text):
                if 0 <= test_from < m.start():
                    continue
                target = (rs.parent / m.group(1)).resolve()
                try:
                    rel = target.relative_to(crate_dir).as_posix()
                except ValueError:
                    fail(f"{rs.relative_to(ROOT)} embeds {m.group(1)}, outside its crate")
                    continue
                embedded += 1
                if rel not in files:
                    fail(f"{rs.relative_to(ROOT)} embeds {rel}, which {crate.name} lacks")
        print(f"{crate.name}: {len(files)} files, README ok, {embedded} embedded file(s) ok")


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "metadata":
        metadata()
    elif len(sys.argv) == 3 and sys.argv[1] == "contents":
        contents(sys.argv[2])
    else:
        sys.exit(__doc__)
    if errors:
        print(f"error: {len(errors)} publishing problem(s):", file=sys.stderr)
        for e in errors:
            print(f"  {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
