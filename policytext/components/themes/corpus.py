"""Paragraph extraction from ``../shared/data`` sources, by reference.

The theme corpus (``corpora/themes/``) stores CCTV (xwlb) paragraphs as *references* only:
``{"source": "xwlb", "file": "xwlb_tagged_2024.jsonl", "record": 17, "start": 120, "end": 260}``,
where ``record`` is the 0-based line number in the JSONL file and ``start``/``end`` index into that
record's raw ``content_html`` field. Public-domain official text (government work reports, laws) is
stored as text, with the same kind of reference for provenance. ``rebuild_text`` turns a reference
back into the paragraph text; ``sha1`` in the reference guards against a changed source file.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from typing import Iterable, Iterator

from ...errors import Errors

_P_RE = re.compile(r"<p>(.*?)</p>", re.S)
_TAG_RE = re.compile(r"<[^>]+>")

SOURCE_FILES = {
    "gov": "gov_work_reports_wikisource",
    "law": "cn_laws_regulations_lawrefbook",
    "xwlb": "xwlb_cctv_news_tagged",
    "pkulaw": "pkulaw_policy_titles_themes",
    "web": "web_pages",
}
#: the project's scraped samples live beside the data folder (``../shared/samples``)
SAMPLES_DIR = "../samples"
#: sources whose text may be committed (official documents of state organs, PRC Copyright Law art. 5)
PUBLIC_DOMAIN = {"gov", "law"}


def text_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def clean_fragment(raw: str) -> str:
    """Text of a raw slice: HTML tags dropped, entities decoded, whitespace trimmed."""
    return html.unescape(_TAG_RE.sub("", raw)).strip()


def _field(source: str) -> str:
    return {"gov": "content", "law": "text_markdown", "xwlb": "content_html", "pkulaw": "title"}[source]


def iter_paragraphs(source: str, record: dict, min_len: int = 20) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, text)`` paragraphs of one record, offsets into its raw text field."""
    raw = record.get(_field(source)) or ""
    if source == "xwlb":
        for m in _P_RE.finditer(raw):
            text = clean_fragment(m.group(1))
            if len(text) >= min_len:
                yield m.start(1), m.end(1), text
        return
    if source == "pkulaw":
        if len(raw.strip()) >= 8:
            yield 0, len(raw), raw.strip()
        return
    offset = 0
    if source == "law":
        marker = raw.find("<!-- INFO END -->")
        offset = marker + len("<!-- INFO END -->") if marker >= 0 else 0
    for m in re.finditer(r"[^\n]+", raw[offset:]):
        line = m.group(0)
        text = line.strip().lstrip("#").strip().replace("\u3000", "")
        if len(text) >= min_len:
            yield offset + m.start(), offset + m.end(), text


_HAN = re.compile(r"[\u3400-\u9fff]")


def iter_web_paragraphs(raw: str, min_len: int = 20, min_han: int = 8) -> Iterator[tuple[int, int, int, str]]:
    """Paragraphs (non-blank lines) of a scraped web page excerpt: ``(index, start, end, text)``,
    offsets into the page's raw ``text`` field, ``index`` counting every non-blank line. Lines
    shorter than ``min_len`` characters or with fewer than ``min_han`` Han characters (menus,
    English lines, pages of ``?``) are not yielded (their index is still counted)."""
    index = -1
    for m in re.finditer(r"[^\n]+", raw):
        text = m.group(0).strip()
        if not text:
            continue
        index += 1
        if len(text) >= min_len and len(_HAN.findall(text)) >= min_han:
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            yield index, m.start() + lead, m.start() + lead + len(text), text


def _web_page(data_dir: str | Path, file: str, page: str, _cache: dict | None = None) -> str:
    key = ("web", file)
    pages = _cache.get(key) if _cache is not None else None
    if pages is None:
        pages = {}
        with open(Path(data_dir) / SOURCE_FILES["web"] / file, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    pages[rec["id"]] = rec.get("text") or ""
        if _cache is not None:
            _cache[key] = pages
    if page not in pages:
        raise ValueError(Errors.E430.format(page=page, file=file))
    return pages[page]


def _t2s(text: str) -> str:
    from ...chinese_script import to_simplified

    return to_simplified(text)


def iter_sample_paragraphs(raw: str, min_len: int = 20) -> Iterator[tuple[int, int, str]]:
    """Paragraphs (lines) of a raw scraped sample, offsets into the decoded file."""
    for m in re.finditer(r"[^\n]+", raw):
        text = m.group(0).strip()
        if len(text) >= min_len and "<" not in text:
            yield m.start(), m.end(), text


def load_record(data_dir: str | Path, source: str, file: str, record: int) -> dict:
    path = Path(data_dir) / SOURCE_FILES[source] / file
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i == record:
                return json.loads(line)
    raise IndexError(Errors.E431.format(path=path, record=record))


def rebuild_text(ref: dict, data_dir: str | Path, _cache: dict | None = None) -> str:
    """The paragraph text a reference points at (raises ValueError if the checksum differs)."""
    if ref["source"] == "sample":
        path = Path(data_dir) / SAMPLES_DIR / ref["file"]
        raw = path.read_text(encoding="utf-8")
        text = raw[ref["start"]:ref["end"]].strip()
        if ref.get("transform") == "t2s":
            text = _t2s(text)
        if ref.get("sha1") and text_sha1(text) != ref["sha1"]:
            raise ValueError(Errors.E428.format(ref=ref, why=""))
        return text
    if ref["source"] == "web":
        text = _web_page(data_dir, ref["file"], ref["page"], _cache)[ref["start"]:ref["end"]]
        if ref.get("sha1") and text_sha1(text) != ref["sha1"]:
            raise ValueError(Errors.E428.format(ref=ref, why=" (the page changed since it was annotated)"))
        return text
    key = (ref["source"], ref["file"])
    if _cache is not None and key in _cache:
        lines = _cache[key]
    else:
        path = Path(data_dir) / SOURCE_FILES[ref["source"]] / ref["file"]
        with open(path, encoding="utf-8") as fh:
            lines = fh.readlines()
        if _cache is not None:
            _cache[key] = lines
    rec = json.loads(lines[ref["record"]])
    raw = rec.get(_field(ref["source"])) or ""
    text = clean_fragment(raw[ref["start"]:ref["end"]])
    if ref["source"] in ("gov", "law"):
        text = text.lstrip("#").strip().replace("\u3000", "")
    if ref.get("sha1") and text_sha1(text) != ref["sha1"]:
        raise ValueError(Errors.E428.format(ref=ref, why=""))
    return text


# ----------------------------------------------------------------------------------------------
# the annotated corpus
# ----------------------------------------------------------------------------------------------
def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def default_corpus_path() -> Path:
    return repo_root() / "corpora" / "themes" / "annotations.jsonl"


def web_corpus_path() -> Path:
    """Annotated paragraphs of ``../shared/data/web_pages`` (references and labels only)."""
    return repo_root() / "corpora" / "themes" / "web_pages.jsonl"


def default_data_dir() -> Path:
    """``$POLICYTEXT_SHARED_DATA`` or ``../shared/data`` beside the repository."""
    import os

    env = os.environ.get("POLICYTEXT_SHARED_DATA")
    if env:
        return Path(env)
    return repo_root().parent / "shared" / "data"


def corpus_available(data_dir: str | Path | None = None) -> bool:
    d = Path(data_dir) if data_dir else default_data_dir()
    return d.is_dir() and default_corpus_path().is_file()


def load_corpus(path: str | Path | None = None, data_dir: str | Path | None = None,
                splits: Iterable[str] | None = None) -> list[dict]:
    """Rows of the annotated corpus with their text: stored text for public-domain sources, text
    rebuilt from ``data_dir`` (``../shared/data``) for referenced ones (CCTV, pkulaw, samples).
    Each row: ``{"id", "text", "labels", "split", "source", "batch"}``. ``splits`` keeps only
    those splits (e.g. ``{"train", "dev"}``)."""
    path = Path(path) if path else default_corpus_path()
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    keep = set(splits) if splits is not None else None
    cache: dict = {}
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            if keep is not None and r.get("split") not in keep:
                continue
            text = r.get("text")
            if text is None:
                text = rebuild_text(r["ref"], data_dir, cache)
            row = {"id": r["id"], "text": text, "labels": list(r["labels"]), "split": r.get("split"),
                   "source": r["ref"]["source"], "batch": r.get("batch")}
            if r.get("genre"):  # web pages: "web" or "press" (press-conference transcripts)
                row["genre"] = r["genre"]
            rows.append(row)
    return rows


# ----------------------------------------------------------------------------------------------
# a paragraph's surroundings (for context features in the evaluation)
# ----------------------------------------------------------------------------------------------
def _document_paragraphs(ref: dict, data_dir: Path, cache: dict) -> tuple[tuple, list[tuple[int, str]]]:
    """The key of the document a reference points into and all its paragraphs ``(start, text)``
    (every non-empty line / ``<p>`` item, as the pipeline would split it, short ones included)."""
    source = ref["source"]
    if source == "sample":
        key: tuple = ("sample", ref["file"])
        if key not in cache:
            raw = (data_dir / SAMPLES_DIR / ref["file"]).read_text(encoding="utf-8")
            cache[key] = [(a, t) for a, _b, t in iter_sample_paragraphs(raw, min_len=1)]
        return key, cache[key]
    if source == "web":
        key = ("web", ref["page"])
        if key not in cache:
            raw = _web_page(data_dir, ref["file"], ref["page"], cache)
            cache[key] = [(a, t) for _i, a, _b, t in iter_web_paragraphs(raw, min_len=1, min_han=1)]
        return key, cache[key]
    key = (source, ref["file"], ref["record"])
    if key not in cache:
        lines_key = ("lines", source, ref["file"])
        if lines_key not in cache:
            with open(data_dir / SOURCE_FILES[source] / ref["file"], encoding="utf-8") as fh:
                cache[lines_key] = fh.readlines()
        rec = json.loads(cache[lines_key][ref["record"]])
        cache[key] = [(a, t) for a, _b, t in iter_paragraphs(source, rec, min_len=1)]
    return key, cache[key]


def paragraph_contexts(ids: Iterable[str], data_dir: str | Path | None = None,
                       paths: Iterable[str | Path] | None = None) -> tuple[dict[str, dict], dict[tuple, list[str]]]:
    """For each corpus row id: ``{"prev", "next", "doc"}`` (the neighbouring paragraphs' texts, ``""``
    at a document's edge, and the document key), and ``{doc key: [paragraph texts]}``. Documents:
    a CCTV item, a law, a work report, a pkulaw title, a web page, a sample file."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    refs: dict[str, dict] = {}
    for path in paths or (default_corpus_path(), web_corpus_path()):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    refs[r["id"]] = r["ref"]
    cache: dict = {}
    out: dict[str, dict] = {}
    docs: dict[tuple, list[str]] = {}
    for rid in ids:
        key, paras = _document_paragraphs(refs[rid], data_dir, cache)
        starts = [a for a, _t in paras]
        i = starts.index(refs[rid]["start"])
        out[rid] = {"prev": paras[i - 1][1] if i > 0 else "", "next": paras[i + 1][1] if i + 1 < len(paras) else "",
                    "doc": key}
        docs[key] = [t for _a, t in paras]
    return out, docs
