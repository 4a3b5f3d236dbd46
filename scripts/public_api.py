#!/usr/bin/env python3
"""The crate's public Rust API, checked against docs/public-api.txt on every `make lint`.

Derived from the source (no build): starting at src/lib.rs, every `pub` item of a public module,
every `pub use` re-export (followed to its definition), and the `pub fn`s of the inherent `impl`
blocks of each public struct or enum, wherever in src/ they are. One path per line, sorted; items
behind a cfg (wasm32-only `browser`, host-only `SerdeJson`, cargo features) are listed whatever
the cfg. Not listed: struct fields, enum variants, trait methods, and `#[doc(hidden)]` items (the
`internals` module of the cargo feature of that name, for this repository's tests).

    python3 scripts/public_api.py           # compare; on a difference print it and exit 1
    python3 scripts/public_api.py --write   # rewrite docs/public-api.txt (a deliberate change)
"""
import difflib
import importlib.util
import pathlib
import re
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
SRC = REPO / "src"
LIST = REPO / "docs" / "public-api.txt"
CRATE = "salesforce_pkce"
HEADER = """\
# The public Rust API of salesforce-pkce: every public path, one per line (items, re-exports and
# the pub methods of public types; not fields, variants or trait methods). Checked by `make lint`
# (scripts/public_api.py). A change here is a change of the public API: make it on purpose, then
# run `python3 scripts/public_api.py --write`.
"""

_spec = importlib.util.spec_from_file_location("structure", REPO / "scripts" / "structure.py")
structure = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(structure)

ITEM = re.compile(
    r"\bpub\s+(?:(?:const|async|unsafe|extern\s+\"\")\s+)*(struct|enum|trait|fn|const|static|type|union|mod)\s+(\w+)"
)
ANY_DEF = r"\b(?:struct|enum|trait|fn|const|static|type|union)\s+{}\b"
PUB_USE = re.compile(r"\bpub\s+use\s+([^;]+);")
ANY_USE = re.compile(r"\buse\s+([^;]+);")
PUB_FN = re.compile(r"\bpub\s+(?:(?:const|async|unsafe)\s+)*fn\s+(\w+)")
IMPL = re.compile(r"\bimpl\b\s*(?:<[^{;]*?>)?\s*([\w:]+)\s*(?:<[^{;]*?>)?\s*(?:where[^{;]*)?\{")

_texts = {}


def text_of(path):
    if path not in _texts:
        _texts[path] = structure.strip(path.read_text())
    return _texts[path]


def block_end(text, open_brace):
    depth = 0
    for i in range(open_brace, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def depths(text):
    """Brace depth at each position of `text` (the depth before the character)."""
    out, depth = [], 0
    for c in text:
        out.append(depth)
        depth += (c == "{") - (c == "}")
    return out


_depths = {}


def at_depth(text, pattern, start, end, depth):
    """Matches of `pattern` in text[start:end] that begin at brace depth `depth`."""
    key = id(text)
    if key not in _depths:
        _depths[key] = (text, depths(text))
    d = _depths[key][1]
    return [m for m in pattern.finditer(text, start, end) if d[m.start()] == depth]


def attrs_before(text, pos):
    """The attributes written right before the item at `pos`."""
    j = max(text.rfind(";", 0, pos), text.rfind("}", 0, pos), text.rfind("{", 0, pos))
    return text[j + 1 : pos]


def use_leaves(tree):
    """`a::{b, c::{d as e}}` → [(["a","b"], "b"), (["a","c","d"], "e")]."""
    tree = re.sub(r"\s+", " ", tree).strip()
    m = re.match(r"^([\w:]*?)(?:::)?\{(.*)\}$", tree)
    if m:
        prefix = [p for p in m.group(1).split("::") if p]
        parts, depth, cur = [], 0, ""
        for c in m.group(2):
            if c == "," and depth == 0:
                parts.append(cur)
                cur = ""
                continue
            depth += c == "{"
            depth -= c == "}"
            cur += c
        parts.append(cur)
        out = []
        for p in filter(None, (p.strip() for p in parts)):
            for path, name in use_leaves(p):
                if path == ["self"]:
                    path, name = prefix, prefix[-1]
                out.append((prefix + path, name))
        return out
    m = re.match(r"^([\w:]+?)(?: as (\w+))?$", tree)
    if not m:
        return []
    path = m.group(1).split("::")
    return [(path, m.group(2) or path[-1])]


def file_of(mod):
    """The file of module path `mod` (["core", "token"]), or None."""
    if not mod:
        return SRC / "lib.rs"
    base = SRC.joinpath(*mod)
    for f in (base.with_suffix(".rs"), base / "mod.rs"):
        if f.exists():
            return f
    return None


def absolute(mod, path):
    """A use path seen in module `mod`, as a path from the crate root (None if external)."""
    head, rest = path[0], path[1:]
    if head == "crate":
        return rest
    if head == "self":
        return mod + rest
    if head == "super":
        return absolute(mod[:-1], ["self"] + rest)
    if file_of(mod + [head]) is not None:
        return mod + path
    return None


def resolve(mod, name, seen=()):
    """(file, name, kind) defining `name` as seen from module `mod`."""
    if (tuple(mod), name) in seen:
        return None
    seen = seen + ((tuple(mod), name),)
    f = file_of(mod)
    if f is None:
        return None
    text = text_of(f)
    m = re.search(r"\b(struct|enum|trait|fn|const|static|type|union)\s+" + name + r"\b", text)
    if m:
        if m.group(1) == "type":
            alias = re.search(r"\btype\s+" + name + r"\s*(?:<[^=]*>)?\s*=\s*([\w:]+)", text)
            if alias:
                target = resolve_path(mod, alias.group(1).split("::"), seen)
                if target:
                    return target
        return (f, name, m.group(1))
    if file_of(mod + [name]) is not None:
        return (file_of(mod + [name]), name, "mod")
    for m in ANY_USE.finditer(text):
        for path, leaf in use_leaves(m.group(1)):
            if leaf == name:
                found = resolve_path(mod, path, seen)
                if found:
                    return found
    return None


def resolve_path(mod, path, seen=()):
    full = absolute(mod, path)
    if full is None or not full:
        return None
    if len(full) == 1 and file_of([]) and full[0] not in ("core", "browser", "js"):
        return resolve([], full[0], seen)
    return resolve(full[:-1], full[-1], seen)


def impl_methods():
    """{(definition file, type name): [pub methods]} over every inherent impl in src/."""
    out = {}
    for f in sorted(SRC.rglob("*.rs")):
        if structure.is_test_file(f):
            continue
        rel = f.relative_to(SRC).with_suffix("")
        mod = [p for p in rel.parts if p not in ("lib", "mod")]
        text = text_of(f)
        for m in IMPL.finditer(text):
            header = text[m.start() : m.end()]
            if re.search(r"\bfor\b", header):
                continue
            name = m.group(1).split("::")[-1]
            if re.search(ANY_DEF.format(name), text):
                target = (f, name)
            else:
                found = resolve(mod, name)
                if not found:
                    continue
                target = (found[0], found[1])
            open_brace = m.end() - 1
            inside = depths_of(text)[open_brace] + 1
            for fm in at_depth(text, PUB_FN, open_brace + 1, block_end(text, open_brace), inside):
                if "doc(hidden)" not in attrs_before(text, fm.start()):
                    out.setdefault(target, []).append(fm.group(1))
    return out


def depths_of(text):
    key = id(text)
    if key not in _depths:
        _depths[key] = (text, depths(text))
    return _depths[key][1]


def module_items(mod, public, text, start, end, out):
    """Public paths of the module at `public` whose source is text[start:end]."""
    end = len(text) if end is None else end
    depth = depths_of(text)[start] if start < len(text) else 0
    for m in at_depth(text, PUB_USE, start, end, depth):
        if "doc(hidden)" in attrs_before(text, m.start()):
            continue
        for path, name in use_leaves(m.group(1)):
            out.append((public + [name], resolve_path(mod, path)))
    for m in at_depth(text, ITEM, start, end, depth):
        kind, name = m.groups()
        if "doc(hidden)" in attrs_before(text, m.start()):
            continue
        if kind != "mod":
            out.append((public + [name], (None, name, kind)))
            continue
        out.append((public + [name], None))
        rest = text[m.end() : m.end() + 2].lstrip()
        if rest.startswith("{"):
            brace = text.index("{", m.end())
            module_items(mod, public + [name], text, brace + 1, block_end(text, brace), out)
        elif file_of(mod + [name]) is not None:
            module_items(mod + [name], public + [name], text_of(file_of(mod + [name])), 0, None, out)


def public_api():
    items = []
    module_items([], [CRATE], text_of(SRC / "lib.rs"), 0, None, items)
    methods = impl_methods()
    lines = set()
    for path, found in items:
        lines.add("::".join(path))
        if found and found[0] is not None and found[2] in ("struct", "enum", "union"):
            for method in methods.get((found[0], found[1]), []):
                lines.add("::".join(path + [method]))
    return sorted(lines)


def main():
    text = HEADER + "".join(line + "\n" for line in public_api())
    if sys.argv[1:] == ["--write"]:
        LIST.write_text(text)
        print(f"wrote {LIST.relative_to(REPO)}")
        return 0
    old = LIST.read_text() if LIST.exists() else ""
    if old == text:
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(
            old.splitlines(True), text.splitlines(True), "docs/public-api.txt", "the source"
        )
    )
    print(
        "\nThe public Rust API differs from docs/public-api.txt (+ is public now, - is no longer).\n"
        "If the change is deliberate, run `python3 scripts/public_api.py --write` and commit the file;\n"
        "otherwise make the new item pub(crate)."
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
