#!/usr/bin/env python3
"""The structure rules of docs/ARCHITECTURE.md, checked on every `make lint`:

- no file in src/ over 500 lines (in-file tests included);
- no two modules of src/ importing each other, directly or through others (a cycle in the graph
  of `crate::`/`super::`/`self::` paths, both cfg variants of a module counted as one);
- no provider check outside `src/core/profile/`: no `is_salesforce(…)`, no comparison or match
  on a profile's `name()`, and no string literal that is a registered profile's name (what
  `fn name` returns in a file of `src/core/profile/`) — shared code asks the profile instead;
- no file in src/ that no module declares (`mod x;` in its parent, a `profiles!` line, or a
  `#[path]`): rustc never compiles such a file, so a provider file without its `profiles!` line,
  say, would pass every test unseen.

Test files (`*_tests.rs`, `session/tests*`) are left out of the graph: they import what they test.
A module and its own submodules (`core::session` and `core::session::refresh`) are one unit here:
a split file uses its parent's types, as Rust's module tree intends.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src"
MAX_LINES = 500
# Files compiled under another module's name (`#[path = ...]` in browser/mod.rs).
ALIASES = {"browser::no_dpop": "browser::dpop", "browser::no_sharing": "browser::sharing"}
PROVIDER_CHECK = re.compile(
    r"\bis_salesforce\s*\("
    r"|\bname\(\)\s*(==|!=)"
    r"|(==|!=)\s*[\w.:()&*]*\bname\(\)"
    r"|\bmatches!\s*\(\s*[\w.:()&*]*\bname\(\)"
    r"|\bmatch\s+[\w.:()&*]*\bname\(\)\s*\{"
)
PROVIDER_ALLOWED = ("core/profile/",)
PROFILE_NAME = re.compile(r"fn\s+name\s*\(\s*&self\s*\)\s*->\s*&'static\s+str\s*\{\s*\"([^\"]+)\"\s*\}")


def module_of(path):
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    name = "::".join(parts)
    return ALIASES.get(name, name)


def is_test_file(path):
    rel = str(path.relative_to(ROOT))
    return rel.endswith("_tests.rs") or "/tests/" in rel or rel.endswith("/tests.rs")


def lex(text, literals=None):
    """Comments dropped, string and char literals emptied (one pass, so `//` in a URL is kept).
    With a list `literals`, each string literal's text is appended to it and the literal left as
    its index there (`"3"`) instead of `""`."""
    out, i, n = [], 0, len(text)

    def literal(body):
        if literals is None:
            return '""'
        literals.append(body)
        return '"' + str(len(literals) - 1) + '"'

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == "r" and re.match(r'r#*"', text[i : i + 10]) and not (i and (text[i - 1].isalnum() or text[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            j = text.find('"' + hashes, i + len(hashes) + 2)
            out.append(literal(text[i + len(hashes) + 2 : n if j < 0 else j]))
            i = n if j < 0 else j + 1 + len(hashes)
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(literal(text[i + 1 : j]))
            i = j + 1
        elif c == "'" and re.match(r"'(\\.[^']*|[^'\\])'", text[i : i + 12]):
            m = re.match(r"'(\\.[^']*|[^'\\])'", text[i : i + 12])
            out.append("' '")
            i += m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def without_test_modules(text):
    """Lexed source without its `#[cfg(test)]` modules."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def strip(text):
    """Source without comments, string literals and `#[cfg(test)]` modules."""
    return without_test_modules(lex(text))


def string_literals(text):
    """The string literals of the source outside its comments and `#[cfg(test)]` modules."""
    literals = []
    code = without_test_modules(lex(text, literals))
    return [literals[int(k)] for k in re.findall(r'"(\d+)"', code)]


def paths(text, start):
    """Every path a use tree starting at `start` names (braces expanded)."""
    ident = re.compile(r"\s*(\w+)\s*")

    def tree(pos, prefix):
        found = []
        while True:
            m = ident.match(text, pos)
            if not m:
                break
            prefix = prefix + [m.group(1)]
            pos = m.end()
            if text.startswith("::", pos):
                pos += 2
                rest = text[pos:].lstrip()
                if rest.startswith("{"):
                    pos = text.index("{", pos) + 1
                    while True:
                        sub, pos = tree(pos, prefix)
                        found.extend(sub)
                        while pos < len(text) and text[pos] in " \n\t":
                            pos += 1
                        if text.startswith(",", pos):
                            pos += 1
                            continue
                        if text.startswith("}", pos):
                            pos += 1
                        break
                    return found, pos
                continue
            break
        found.append(prefix)
        return found, pos

    return tree(start, [])[0]


def undeclared(files):
    """The files of src/ that no module declares (rustc does not compile them)."""
    texts = {p: p.read_text() for p in files}
    paths_named = {m for t in texts.values() for m in re.findall(r'#\[path\s*=\s*"([^"]+)"\]', t)}
    found = []
    for p in files:
        if p == ROOT / "lib.rs" or p.name in {pathlib.Path(x).name for x in paths_named}:
            continue
        stem = p.parent.name if p.name == "mod.rs" else p.stem
        folder = p.parent.parent if p.name == "mod.rs" else p.parent
        parents = [folder / "mod.rs", folder.with_suffix(".rs")] if folder != ROOT else [ROOT / "lib.rs"]
        declared = False
        for parent in parents:
            code = lex(texts.get(parent, ""))
            listed = any(re.search(rf"\b{stem}::", b) for b in re.findall(r"profiles!\s*\{[^}]*\}", code))
            if re.search(rf"\bmod\s+{stem}\s*[;{{]", code) or listed:
                declared = True
        if not declared:
            found.append(str(p.relative_to(ROOT)))
    return found


def main():
    files = sorted(p for p in ROOT.rglob("*.rs"))
    modules = {module_of(p) for p in files}
    errors = []
    profile_names = {
        m.group(1)
        for p in (ROOT / "core" / "profile").glob("*.rs")
        for m in PROFILE_NAME.finditer(p.read_text())
    }
    if not profile_names:
        errors.append("no profile names found in core/profile/ (fn name(&self) -> &'static str)")
    for rel in undeclared(files):
        errors.append(f"{rel}: no module declares it (rustc never compiles it; a profile needs its profiles! line)")
    graph = {}
    for path in files:
        rel = str(path.relative_to(ROOT))
        text = path.read_text()
        lines = text.count("\n")
        if lines > MAX_LINES:
            errors.append(f"{rel}: {lines} lines (at most {MAX_LINES})")
        code = strip(text)
        if not rel.startswith(PROVIDER_ALLOWED) and not is_test_file(path):
            if PROVIDER_CHECK.search(code):
                errors.append(f"{rel}: a provider check outside core/profile/")
            for name in sorted(profile_names & set(string_literals(text))):
                errors.append(f'{rel}: "{name}" names a profile outside core/profile/ (ask the profile instead)')
        if is_test_file(path):
            continue
        me = module_of(path)
        here = me.split("::") if me else []
        # A file's own module is `here`; `super` is its parent (mod.rs files are their module).
        for m in re.finditer(r"\b(crate|super|self)::", code):
            kind = m.group(1)
            base = [] if kind == "crate" else here[:-1] if kind == "super" else here
            for p in paths(code, m.end()):
                full = base + [x for x in p if x != "self"]
                while full and full[0] == "super":
                    full = full[1:]
                target = None
                for n in range(len(full), 0, -1):
                    name = "::".join(full[:n])
                    if name in modules:
                        target = name
                        break
                if target and target != me and not me.startswith(target + "::") and not target.startswith(me + "::"):
                    graph.setdefault(me, set()).add(target)
    # Cycles: Tarjan's strongly connected components.
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
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
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(modules):
        if v not in index:
            visit(v)
    for comp in comps:
        edges = [f"{a} -> {b}" for a in comp for b in sorted(graph.get(a, ())) if b in comp]
        errors.append("modules importing each other: " + ", ".join(comp) + " (" + "; ".join(edges) + ")")
    for e in errors:
        print("structure:", e)
    if errors:
        sys.exit(1)
    print(f"structure: {len(files)} files, {sum(len(v) for v in graph.values())} module imports, no cycle, none over {MAX_LINES} lines")


if __name__ == "__main__":
    main()
