"""Write ``simotel_async/resources/`` and ``docs/endpoints.md`` from the endpoint catalogue.

Run from the repository root after editing ``simotel_async/_endpoints.py``:
``python scripts/gen_resources.py`` rewrites the files; ``--check`` only compares and
exits 1 when any of them is out of date (CI and the test suite run it).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _load_catalogue() -> ModuleType:
    """``simotel_async/_endpoints.py`` alone: generating must work while resources are stale."""
    spec = importlib.util.spec_from_file_location(
        "simotel_catalogue", ROOT / "simotel_async" / "_endpoints.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_catalogue = _load_catalogue()
CATALOGUE = _catalogue.CATALOGUE
GROUPS = _catalogue.GROUPS
RESOURCES = _catalogue.RESOURCES
TYPE_ALIASES = _catalogue.TYPE_ALIASES
Endpoint = _catalogue.Endpoint
Param = _catalogue.Param

PACKAGE = ROOT / "simotel_async" / "resources"
DOCS = ROOT / "docs" / "endpoints.md"
GENERATED = "Generated from simotel_async/_endpoints.py by scripts/gen_resources.py; do not edit."
WIDTH = 100

BASE_NAMES = ("AgentSpec", "Destination", "Extra", "Flag", "Number", "Sort", "Upload", "When")
ABC_NAMES = ("AsyncIterator", "Iterable", "Mapping", "Sequence")

PAGING = (
    "page_size: int = 100",
    "concurrency: int = 1",
    "limit: int | None = None",
    "sort: Sort | None = None",
    "start: int = 0",
)
PAGING_DOCS = (
    ("sort", '``{"field": 1 | -1}``; default: the server\'s order.'),
    (
        "page_size, concurrency, limit, start",
        "paging (records per request, requests in flight, record cap, first offset); "
        "see :class:`AsyncPaginator`.",
    ),
)
EXTRA_DOC = ("extra", "more server parameters, merged into the body.")


def model_of(result: str) -> str:
    """``"list[User]"`` -> ``"User"``."""
    match = re.fullmatch(r"list\[(\w+)\]", result)
    return match.group(1) if match else result


def default_returns(endpoint: Endpoint) -> str:
    """The Returns line when the catalogue gives none."""
    result = endpoint.result
    if endpoint.kind == "search":
        return f"An :class:`AsyncPaginator` of :class:`{result}` records; no I/O until iterated."
    if endpoint.kind == "ordered":
        return f"An :class:`AsyncCursor` of :class:`{result}` records; no I/O until iterated."
    if endpoint.kind == "upload":
        return "The name the server stored the file under."
    if endpoint.kind == "download":
        return "The number of bytes written."
    if result is None:
        return ""
    if result.startswith("list["):
        return f"A list of :class:`{model_of(result)}`."
    return f"A :class:`{result}`."


def ordered_params(endpoint: Endpoint) -> list[Param]:
    """Required parameters first, then the rest, each in catalogue order."""
    required = [p for p in endpoint.params if p.name in endpoint.required]
    return required + [p for p in endpoint.params if p.name not in endpoint.required]


def signature(endpoint: Endpoint, *, extra_args: Iterable[str] = ()) -> list[str]:
    """The keyword arguments of the method, one per line."""
    args = []
    for param in ordered_params(endpoint):
        if param.name in endpoint.required:
            args.append(f"{param.name}: {param.annotation}")
        elif param.default is not None:
            args.append(f"{param.name}: {param.annotation} = {param.default!r}")
        else:
            args.append(f"{param.name}: {param.annotation} | None = None")
    return [*args, *extra_args]


def wrap_arg(name: str, text: str) -> list[str]:
    """One ``Args:`` entry, wrapped with a hanging indent (never inside a ````literal````)."""
    glued = re.sub(r"``.+?``", lambda m: m.group(0).replace(" ", "\0"), f"{name}: {text}")
    lines = textwrap.wrap(
        glued,
        width=WIDTH - 8,
        initial_indent="    ",
        subsequent_indent="        ",
        break_on_hyphens=False,
        break_long_words=False,
    )
    return [line.replace("\0", " ") for line in lines]


def docstring(endpoint: Endpoint, variant: str = "") -> list[str]:
    """The method's docstring lines (without indentation)."""
    lines = (endpoint.doc or f"``{endpoint.id}``.").splitlines()
    if variant == "stream":
        lines = [
            "``async with ....stream(...) as response``: the file, unread.",
            "",
            f"The streaming twin of :meth:`download` (``{endpoint.id}``).",
            "Iterate ``response.aiter_bytes()`` (``response.headers`` has the type and",
            "length); the connection is released when the block exits.",
        ]
    entries: list[tuple[str, str]] = []
    if endpoint.kind == "upload":
        entries += [
            ("file", "a path, the bytes, or a binary file object (read in chunks)."),
            (
                "filename",
                "the name sent to the server (default: the path's or file object's name, "
                'else ``"upload"``).',
            ),
            ("content_type", "the part's type (default: guessed from the name)."),
        ]
    for param in ordered_params(endpoint):
        text = param.doc or "see the vendor's documentation."
        entries.append(
            (param.name, f"{text} Required." if param.name in endpoint.required else text)
        )
    if endpoint.kind == "ordered":
        entries.append(
            ("after_id", "resume after this record id (a previous cursor's ``last_id``).")
        )
    if endpoint.kind == "download" and variant != "stream":
        entries.append(("dest", "a file path, or a binary file object open for writing."))
    if endpoint.kind != "upload":
        entries.append(EXTRA_DOC)
    if endpoint.kind == "search":
        entries += PAGING_DOCS
    if entries:
        lines += ["", "Args:"]
        for name, text in entries:
            lines += wrap_arg(name, text)
    returns = endpoint.returns or default_returns(endpoint)
    if returns and variant != "stream":
        lines += ["", "Returns:", *("    " + line for line in returns.splitlines())]
    if endpoint.raises:
        lines += ["", "Raises:", *("    " + line for line in endpoint.raises.splitlines())]
    return lines


def method_source(endpoint: Endpoint, variant: str = "") -> list[str]:
    """The method's source lines, indented for a class body."""
    kind, eid, result = endpoint.kind, endpoint.id, endpoint.result
    name = "stream" if variant == "stream" else endpoint.action
    prefix = "async def"
    decorator: list[str] = []
    if kind == "action":
        args = signature(endpoint, extra_args=["extra: Extra = None"])
        returns = result or "None"
        body = (
            f'return await self._act("{eid}", {result}, locals())'
            if result
            else f'await self._act_quietly("{eid}", locals())'
        )
    elif kind == "search":
        prefix = "def"
        args = signature(endpoint, extra_args=["extra: Extra = None", *PAGING])
        returns = f"AsyncPaginator[{result}]"
        body = f'return self._search("{eid}", {result}, locals())'
    elif kind == "ordered":
        prefix = "def"
        args = ["after_id: str | None = None", "extra: Extra = None"]
        returns = f"AsyncCursor[{result}]"
        body = f'return self._ordered("{eid}", {result}, locals())'
    elif kind == "upload":
        args = ["filename: str | None = None", "content_type: str | None = None"]
        returns = "str"
        body = f'return await self._upload("{eid}", file, filename, content_type)'
    elif variant == "stream":
        decorator = ["@asynccontextmanager"]
        args = signature(endpoint, extra_args=["extra: Extra = None"])
        returns = "AsyncIterator[httpx.Response]"
        body = f'async with self._stream("{eid}", locals()) as response:\n    yield response'
    else:
        args = signature(endpoint, extra_args=["dest: Destination", "extra: Extra = None"])
        returns = "int"
        body = f'return await self._download("{eid}", locals())'
    head = ["self", "file: Upload", "*"] if kind == "upload" else ["self", "*"]
    lines = [*decorator, f"{prefix} {name}("]
    lines += [f"    {arg}," for arg in [*head, *args]]
    lines.append(f") -> {returns}:")
    doc = docstring(endpoint, variant)
    lines.append('    """' + doc[0])
    lines += [("    " + line) if line else "" for line in doc[1:]]
    lines.append('    """')
    lines += ["    " + line for line in body.splitlines()]
    return ["    " + line if line else "" for line in lines]


def resource_endpoints() -> dict[str, list[Endpoint]]:
    """Endpoints by resource path, in catalogue order."""
    by_resource: dict[str, list[Endpoint]] = {}
    for endpoint in CATALOGUE:
        by_resource.setdefault(endpoint.resource, []).append(endpoint)
    return by_resource


def used_names(text: str, names: Iterable[str]) -> list[str]:
    return sorted(name for name in names if re.search(rf"\b{name}\b", text))


def module_source(group: str, resources: dict[str, list[Endpoint]]) -> str:
    """One generated module: a group's resource classes and the group class."""
    body: list[str] = []
    classes: list[str] = []
    for path, endpoints in resources.items():
        spec = RESOURCES[path]
        classes.append(spec.name)
        body += ["", "", f"class {spec.name}(Resource):"]
        body += docstring_block(spec.doc, "    ")
        body += ["", "    __slots__ = ()"]
        for endpoint in endpoints:
            body += ["", *method_source(endpoint)]
            if endpoint.kind == "download":
                body += ["", *method_source(endpoint, "stream")]
    if group in GROUPS:
        spec = GROUPS[group]
        attributes = [path.split(".", 1)[1] for path in resources]
        classes.append(spec.name)
        body += ["", "", f"class {spec.name}:"]
        body += docstring_block(spec.doc, "    ")
        slots = ", ".join(f'"{name}"' for name in sorted(attributes))
        body += ["", f"    __slots__ = ({slots})", ""]
        body += ["    def __init__(self, client: Sender) -> None:"]
        for path, attribute in zip(resources, attributes, strict=True):
            body.append(f"        self.{attribute} = {RESOURCES[path].name}(client)")
            body.append(f'        """{first_line(RESOURCES[path].doc)}"""')
    text = "\n".join(body)
    models = sorted(
        {model_of(e.result) for es in resources.values() for e in es if e.result}
        | ({"ForwardPolicy"} if "ForwardPolicy" in text else set())
    )
    imports = ["from __future__ import annotations", ""]
    abc = used_names(text, ABC_NAMES)
    if abc:
        imports.append(f"from collections.abc import {', '.join(abc)}")
    if "@asynccontextmanager" in text:
        imports.append("from contextlib import asynccontextmanager")
    if abc or "@asynccontextmanager" in text:
        imports.append("")
    if "httpx." in text:
        imports += ["import httpx", ""]
    pages = used_names(text, ("AsyncCursor", "AsyncPaginator"))
    if pages:
        imports.append(f"from simotel_async._pagination import {', '.join(pages)}")
    if models:
        imports.append(f"from simotel_async.models import {', '.join(models)}")
    imports.append("")
    base = used_names(text, BASE_NAMES)
    names = [*base, "Resource", *(["Sender"] if group in GROUPS else [])]
    imports.append(f"from ._base import {', '.join(sorted(names))}")
    aliases = used_names(text, TYPE_ALIASES)
    clash = set(models) & set(TYPE_ALIASES)
    if clash:
        raise SystemExit(
            f"{', '.join(sorted(clash))}: both a model and a parameter type; rename one"
        )
    if aliases:
        imports.append(f"from ._types import {', '.join(aliases)}")
    header = [
        f'"""{module_doc(group)}',
        "",
        f'{GENERATED}"""',
        "",
        *imports,
        "",
        f"__all__ = [{', '.join(f'{chr(34)}{name}{chr(34)}' for name in sorted(classes))}]",
    ]
    return "\n".join(header) + "\n" + text + "\n"


def module_doc(group: str) -> str:
    spec = GROUPS.get(group) or RESOURCES[group]
    return first_line(spec.doc)


def first_line(text: str) -> str:
    return text.split("\n\n", 1)[0].replace("\n", " ")


def docstring_block(text: str, indent: str) -> list[str]:
    lines = text.splitlines()
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    return [
        f'{indent}"""{lines[0]}',
        *((indent + line) if line else "" for line in lines[1:]),
        f'{indent}"""',
    ]


def types_source() -> str:
    names = sorted(TYPE_ALIASES)
    lines = [
        f'"""Named argument types of the endpoint methods.\n\n{GENERATED}"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Literal",
        "",
        f"__all__ = [{', '.join(f'{chr(34)}{name}{chr(34)}' for name in names)}]",
        "",
    ]
    for name in names:
        value = TYPE_ALIASES[name]
        line = f"{name} = {value}"
        if len(line) > WIDTH:
            items = value[len("Literal[") : -1].split(", ")
            lines += [f"{name} = Literal[", *(f"    {item}," for item in items), "]"]
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def init_source(groups: list[tuple[str, str]]) -> str:
    names = sorted(name for _, name in groups)
    lines = [
        '"""The typed endpoint methods, one module per API group: ``simotel.<group>.<resource>``.',
        "",
        f'{GENERATED}"""',
        "",
        *(f"from .{module} import {name}" for module, name in sorted(groups)),
        "",
        f"__all__ = [{', '.join(f'{chr(34)}{name}{chr(34)}' for name in names)}]",
    ]
    return "\n".join(lines) + "\n"


DOCS_HEADER = f"""\
# Endpoints

Every endpoint of the Simotel API catalog and the `AsyncSimotel` method that calls it
(`simotel.<group>.<resource>.<action>`, the action in snake_case). Arguments are
keyword-only (but an upload's `file`); the ones listed are required. Search conditions
left out are sent as `""` (the vendor's samples do; the server reads it as "any");
every other optional argument is sent only when given. `extra={{...}}` adds server
parameters the method does not name. Searches return an `AsyncPaginator` and ordered
reads an `AsyncCursor`, both created without I/O; downloads also have a `.stream(...)`
twin yielding the `httpx.Response`. Any endpoint can also be called raw:
`await simotel.request("<id>", {{...}})`.

{GENERATED}

| endpoint id | kind | v4 | v3 | method | required arguments | returns |
|---|---|---|---|---|---|---|
"""


def docs_source() -> str:
    rows = []
    for endpoint in CATALOGUE:
        call = f"`simotel.{endpoint.method}()`"
        if endpoint.kind == "download":
            call += f"<br>`simotel.{endpoint.resource}.stream()`"
        v3 = f"{endpoint.v3.method} `{endpoint.v3.path}`" if endpoint.v3 else "-"
        required = [p.name for p in ordered_params(endpoint) if p.name in endpoint.required]
        if endpoint.kind == "upload":
            required.insert(0, "file")
        if endpoint.kind == "download":
            required.append("dest")
        returns = {
            "search": f"AsyncPaginator[{endpoint.result}]",
            "ordered": f"AsyncCursor[{endpoint.result}]",
            "upload": "str",
            "download": "int",
        }.get(endpoint.kind, endpoint.result or "None")
        rows.append(
            f"| `{endpoint.id}` | {endpoint.kind} | {endpoint.v4.method} `{endpoint.v4.path}` "
            f"| {v3} | {call} | {', '.join(f'`{n}`' for n in required) or '-'} | `{returns}` |"
        )
    return DOCS_HEADER + "\n".join(rows) + "\n"


def ruff() -> str:
    """The ruff executable beside this Python, or on PATH."""
    beside = Path(sys.executable).with_name("ruff")
    found = str(beside) if beside.exists() else shutil.which("ruff")
    if found is None:
        raise SystemExit("ruff is needed to format the generated code: pip install -e '.[test]'")
    return found


def formatted(path: Path, text: str) -> str:
    """``text`` as ``ruff`` (imports sorted, then formatted) writes it, so checks are stable."""
    for command in (["check", "--select", "I,F401", "--fix-only", "--quiet"], ["format"]):
        result = subprocess.run(
            [ruff(), *command, "--stdin-filename", str(path), "-"],
            input=text,
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        if result.returncode != 0:
            raise SystemExit(f"ruff failed on {path.name}: {result.stderr.strip()}")
        text = result.stdout
    return text


def render() -> dict[Path, str]:
    """Every generated file and its text."""
    by_group: dict[str, dict[str, list[Endpoint]]] = {}
    for path, endpoints in resource_endpoints().items():
        by_group.setdefault(path.split(".")[0], {})[path] = endpoints
    files = {PACKAGE / "_types.py": types_source(), DOCS: docs_source()}
    top: list[tuple[str, str]] = []
    for group, resources in by_group.items():
        files[PACKAGE / f"{group}.py"] = module_source(group, resources)
        top.append((group, (GROUPS.get(group) or RESOURCES[group]).name))
    files[PACKAGE / "__init__.py"] = init_source(top)
    return {
        path: formatted(path, text) if path.suffix == ".py" else text
        for path, text in files.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a file is stale")
    args = parser.parse_args()
    stale = []
    for path, text in render().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == text:
            continue
        stale.append(path.relative_to(ROOT))
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check:
        if stale:
            names = ", ".join(map(str, stale))
            print(f"out of date: {names}; run python scripts/gen_resources.py")
            return 1
        return 0
    print(f"wrote {len(stale)} file(s)" + (f": {', '.join(map(str, stale))}" if stale else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
