"""The catalogue of coded warnings and errors (policytext.errors): codes, templates, docs, no prose matching."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator

import pytest

import policytext
from policytext.components.entities.backends import UnknownBackend, make_backend
from policytext.errors import Errors, Warnings, catalogue, code_of, fields_of, markdown

ROOT = Path(__file__).resolve().parents[1]


def test_every_message_starts_with_its_code():
    codes = [code for code, _, _ in catalogue()]
    assert len(codes) == len(set(codes)) > 30
    for code, kind, template in catalogue():
        cls = Warnings if kind == "warning" else Errors
        assert getattr(cls, code) == f"[{code}] {template}"
        assert code_of(getattr(cls, code)) == code
        assert code[0] == ("W" if kind == "warning" else "E")


def test_the_issue_example_formats_and_reads_back():
    message = Warnings.W104.format(spans=3, holes="")
    assert message == "[W104] repair: 3 misaligned GBK span(s) realigned"
    failed = Warnings.W020.format(name="entities", exc_type="ValueError", exc="bad (doc)")
    assert fields_of(failed) == {"name": "'entities'", "exc_type": "ValueError", "exc": "bad (doc)"}
    assert code_of("han=12") is None and fields_of("han=12") == {}  # a user's own plain warning


def test_docs_list_every_code_and_are_up_to_date():
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert doc == markdown(), "regenerate: python -m policytext.errors > docs/errors.md"
    for code, _, _ in catalogue():
        assert f"| {code} |" in doc


def test_no_code_branches_on_message_text():
    """Programs tell messages apart by code or exception class: ``"..." in str(exc)`` is gone."""
    offenders = []
    for path in (ROOT / "policytext").rglob("*.py"):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\"[^\"]+\" in str\((exc|e|err)\)", line):
                offenders.append(f"{path.relative_to(ROOT)}:{no}: {line.strip()}")
    assert not offenders, offenders


#: Raises whose prose message is deliberately not in the catalogue: (module, exception) -> why.
#: Only exceptions that never reach a user belong here; keep the list short.
UNCODED_RAISES = {
    ("policytext/inputs.py", "_BadJSON"): "internal: caught in inputs.py, its text becomes the detail of E004/E005",
    ("policytext/parallel.py", "BrokenProcessPool"): "internal: caught by parallel_map, which retries the "
    "document alone and records E030",
}


def _is_prose(node: ast.AST) -> bool:
    """A string literal or f-string somewhere in ``node``, and no catalogue template."""
    parts = list(ast.walk(node))
    prose = any(isinstance(n, ast.JoinedStr) or (isinstance(n, ast.Constant) and isinstance(n.value, str))
                for n in parts)
    coded = any(isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                and n.value.id in {"Errors", "Warnings"} for n in parts)
    return prose and not coded


def _is_placeholder(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"(%s|\s)*", node.value)


def _uncoded_messages(tree: ast.AST) -> "Iterator[tuple[int, str, str]]":
    """``(line, exception or call, source)`` of every message built from prose instead of the catalogue:
    ``raise X("...")``/``raise X(f"...")``, ``warnings.warn("...")``/``log.warning("...")``, and
    ``print(f"policytext CMD: error: literal prose")``, and a record's messages: ``state.warn("...")``,
    ``warnings.append("...")``, ``error="..."``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            args = node.exc.args + [k.value for k in node.exc.keywords]
            if args and _is_prose(args[0]):
                yield node.lineno, ast.unparse(node.exc.func), ast.unparse(node)
        elif isinstance(node, ast.Call):
            func = ast.unparse(node.func)
            warns = func == "warnings.warn" or re.fullmatch(r"_?log(ger)?\.(warning|error|critical)", func)
            message = node.args[0] if node.args else None
            if _is_placeholder(message) and len(node.args) > 1:  # log.warning("%s", message)
                message = node.args[1]
            if warns and message is not None and _is_prose(message):
                yield node.lineno, func, ast.unparse(node)
            record = func.endswith((".warn", "warnings.append")) and func != "warnings.warn"
            if record and node.args and _is_prose(node.args[0]):  # state.warn("..."), warnings.append("...")
                yield node.lineno, func, ast.unparse(node)
            for keyword in node.keywords:  # InputDoc(..., error=f"input error: {exc}")
                if keyword.arg in {"error", "warning"} and _is_prose(keyword.value):
                    yield node.lineno, f"{func}({keyword.arg}=)", ast.unparse(node)
            if func == "print" and node.args and isinstance(node.args[0], (ast.JoinedStr, ast.Constant)):
                text = "".join(v.value if isinstance(v, ast.Constant) else "\0"
                               for v in getattr(node.args[0], "values", [node.args[0]]))
                if isinstance(text, str) and re.search(r"error: [^\0]", text):
                    yield node.lineno, func, ast.unparse(node)


def test_every_raised_message_comes_from_the_catalogue():
    """The permanent rule of issue #22: a new ``raise ValueError("prose")`` (or f-string), a prose
    ``warnings.warn``/``log.warning`` or a prose CLI ``error:`` line fails here; add a code to
    ``Errors``/``Warnings`` instead (and regenerate docs/errors.md)."""
    offenders, allowed_seen = [], set()
    for path in sorted((ROOT / "policytext").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for line, name, source in _uncoded_messages(ast.parse(path.read_text(encoding="utf-8"))):
            if (rel, name) in UNCODED_RAISES:
                allowed_seen.add((rel, name))
            else:
                offenders.append(f"{rel}:{line}: {source[:120]}")
    assert not offenders, "messages without a code:\n" + "\n".join(offenders)
    assert allowed_seen == set(UNCODED_RAISES), "stale UNCODED_RAISES entries: drop them"


def test_the_scan_catches_prose_and_passes_codes():
    bad = ast.parse('''
def f(x):
    if x:
        raise ValueError("give at most one of before, after")
    raise TypeError(f"cannot process {type(x).__name__}")
log.warning("model missing")
print("policytext tag: error: no input")
_log.warning("model missing: %s", path)
state.warn(f"repair: {n} lines reversed")
InputDoc(data="", error=f"input error: {exc}")
''')
    good = ast.parse('''
def f(x):
    if x:
        raise ValueError(Errors.E118)
    raise TypeError(Errors.E014.format(type=type(x).__name__))
log.warning(warning)
print(f"policytext tag: error: {Errors.E221}", file=sys.stderr)
raise KeyError(name)
_log.warning("%s", message)
state.warn(Warnings.W101.format(lines=n, lost=""))
InputDoc(data="", error=Errors.E006.format(detail=exc))
''')
    found = sorted((line, name) for line, name, _ in _uncoded_messages(bad))
    assert found == [(4, "ValueError"), (5, "TypeError"), (6, "log.warning"), (7, "print"), (8, "_log.warning"),
                     (9, "state.warn"), (10, "InputDoc(error=)")]
    assert list(_uncoded_messages(good)) == []


def test_every_code_the_package_names_exists_and_every_code_is_used():
    named = set()
    for path in (ROOT / "policytext").rglob("*.py"):
        if path.name != "errors.py":
            named |= set(re.findall(r"\b(?:Errors|Warnings)\.([WE]\d{3})\b", path.read_text(encoding="utf-8")))
    codes = {code for code, _, _ in catalogue()}
    assert named - codes == set(), "named but not in the catalogue"
    assert codes - named == set(), "in the catalogue but never used: remove them"


def test_api_misuse_and_broken_invariants_raise_coded_errors():
    from policytext.alignment import Alignment, Edit, OverlappingEditsError, apply_edits
    from policytext.dates import normalize_date

    nlp = policytext.load(stages=["normalize"])
    cases = [
        (ValueError, "E118", lambda: nlp.add_stage("dedup", before="normalize", first=True)),
        (TypeError, "E119", lambda: nlp.add_stage(len)),
        (TypeError, "E120", lambda: nlp.replace_stage("normalize", 3)),
        (ValueError, "E122", lambda: list(nlp.pipe(["文本"], errors="ignore"))),
        (ValueError, "E123", lambda: nlp.add_stage("no_such_factory")),
        (TypeError, "E014", lambda: nlp(3.5)),
        (ValueError, "E016", lambda: normalize_date("下周一")),
        (OverlappingEditsError, "E501", lambda: Edit(5, 2, "", "t2s")),
        (OverlappingEditsError, "E503", lambda: apply_edits("国家数据局", [Edit(0, 3, "甲", "t2s"), Edit(2, 4, "乙", "t2s")])),
        (OverlappingEditsError, "E502", lambda: apply_edits("国家", [Edit(1, 9, "", "t2s")])),
        (IndexError, "E507", lambda: Alignment(4).to_raw(2, 9)),
        (ValueError, "E601", lambda: policytext.Result()),
    ]
    for exc_type, code, call in cases:
        with pytest.raises(exc_type) as info:
            call()
        assert code_of(str(info.value)) == code, (code, str(info.value))


def test_unknown_entity_backend_is_a_coded_configuration_error():
    with pytest.raises(UnknownBackend) as info:
        make_backend("no-such-backend")
    assert code_of(str(info.value)) == "E102"
    with pytest.raises(ValueError, match=r"^\[E102\] "):  # not taken for a missing model (W501)
        policytext.load(stages=["entities"], config={"entities": {"backend": "no-such-backend"}})


def test_record_warnings_and_errors_carry_codes_through_the_pipeline():
    nlp = policytext.load(stages=["html", "repair", "normalize"])
    gbk_misread = "国家数据局发布数据要素统计报告。".encode("gbk").decode("big5", errors="replace")
    records = list(nlp.pipe_records([gbk_misread, "", b"\x00\x01\x02\x03" * 100]))
    assert all(code_of(w) for r in records for w in r["warnings"])
    assert [code_of(w) for w in records[1]["warnings"]] == ["W001"]
    assert code_of(records[2]["error"]) in {"E011", "E012"}
