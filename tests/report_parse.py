"""Reading a report back with the standard HTML parser (for the report tests)."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser

from policytext.report.fmt import PAGE_SCRIPT_TYPE

VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "col", "source"}
TEXT_CELLS = {"tx", "raw", "cln"}
SKIP = {"lbl", "rm"}  # entity label chips, removal markers: not part of the text


class ReportParser(HTMLParser):
    """Collects the marked elements (``data-e`` edits, ``data-n`` entities, ``data-c`` claims,
    ``data-r`` removals), the text of the clean and raw cells, scripts and every attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.marked: list[dict] = []  # {"tag", "attrs", "text"}
        self.cells: dict[str, list[str]] = defaultdict(list)
        self.scripts: list[tuple[str | None, str]] = []
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.tags: list[str] = []
        self._open_marked: list[dict | None] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: (v or "") for k, v in attrs}
        self.tags.append(tag)
        self.attributes.extend((tag, k, v) for k, v in a.items())
        if tag in VOID:
            return
        classes = set(a.get("class", "").split())
        entry = None
        if any(k in a for k in ("data-e", "data-n", "data-c", "data-r")) and tag not in {"tr", "li"}:
            entry = {"tag": tag, "attrs": a, "classes": classes, "text": []}
            self.marked.append(entry)
        if tag == "script":
            self.scripts.append((a.get("type"), ""))
        cell = classes & TEXT_CELLS
        if cell:
            self.cells[next(iter(cell))].append("")
        self.stack.append((tag, {"classes": classes, "cell": next(iter(cell)) if cell else None}))
        self._open_marked.append(entry)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            t, _ = self.stack.pop()
            self._open_marked.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] == "script":
            typ, content = self.scripts[-1]
            self.scripts[-1] = (typ, content + data)
            return
        if any(info["classes"] & SKIP for _, info in self.stack):
            return
        for _, info in reversed(self.stack):
            if info["cell"]:
                self.cells[info["cell"]][-1] += data
                break
        for entry in self._open_marked:
            if entry is not None:
                entry["text"].append(data)


def parse_report(html: str) -> ReportParser:
    """The parsed report; folded pages waiting in inert scripts are parsed too, in order, and
    their elements and cells appended."""
    main = ReportParser()
    main.feed(html)
    main.close()
    for typ, content in list(main.scripts):
        if typ == PAGE_SCRIPT_TYPE:
            sub = parse_report(content)
            main.marked.extend(sub.marked)
            for k, v in sub.cells.items():
                main.cells[k].extend(v)
            main.scripts.extend(sub.scripts)
            main.attributes.extend(sub.attributes)
            main.tags.extend(sub.tags)
    return main


def keys(entry: dict, name: str) -> list[int]:
    return [int(k) for k in entry["attrs"].get(name, "").split()]
