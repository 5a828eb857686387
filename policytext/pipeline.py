"""The pipeline: named text stages, then a spaCy ``Language`` of annotating stages.

    >>> import policytext
    >>> nlp = policytext.load()
    >>> result = nlp("國家數據局局長劉烈宏在會上表示……", date="2025-08-14")
    >>> result.text, result.entities, result.claims

Text stages (``html``, ``repair``, ``normalize``, ``dedup``) change text on a
:class:`~policytext.state.TextState`; every change is an edit mapped to raw offsets. The cleaned
text then becomes a spaCy ``Doc`` and the annotating stages (``sentences``, ``entities``,
``claims``, ``themes``) run as spaCy components: they never change text.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import importlib.util
import json
import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .components.extensions import TEXT_KEY, init_doc_extensions
from .dates import find_document_date, normalize_date
from .decode import decode_bytes
from .errors import Errors, Warnings, code_of
from .inputs import InputDoc
from .record import RECORD_META_KEY, build_record, error_record
from .stages.base import TextStage, create_text_stage, text_stage_factories
from .stages.dedup import duplicate_marks
from .state import TextState
from .stats import with_doc_stats
from .tokenizer import CharTokenizer

__all__ = ["Pipeline", "Result", "load", "StageError", "InputError", "DEFAULT_STAGES", "parallel_map"]

_log = logging.getLogger("policytext")
_EMPTY_WARNING = Warnings.W001
_BLANK_WARNING = Warnings.W002

#: Default stages in order: (name, kind, module that registers it, factory name).
DEFAULT_STAGES: tuple[tuple[str, str, str, str], ...] = (
    ("html", "text", "policytext.stages.html", "html"),
    ("repair", "text", "policytext.stages.repair", "repair"),
    ("normalize", "text", "policytext.stages.normalize", "normalize"),
    ("dedup", "text", "policytext.stages.dedup", "dedup"),
    ("sentences", "doc", "policytext.components.sentences", "policytext_sentences"),
    ("entities", "doc", "policytext.components.entities", "policytext_entities"),
    ("words", "doc", "policytext.components.words", "policytext_words"),
    ("claims", "doc", "policytext.components.claims", "policytext_claims"),
    ("themes", "doc", "policytext.components.themes", "policytext_themes"),
)
#: Shipped stages that ``load()`` leaves out unless asked for (by name in ``stages`` or with
#: ``config={name: {"enabled": True}}``).
OPTIONAL_STAGES = frozenset({"words"})
_DOC_FACTORY_ALIASES = {name: factory for name, kind, _, factory in DEFAULT_STAGES if kind == "doc"}
DEFAULT_MAX_CHARS = 50_000_000


class StageError(RuntimeError):
    """A stage failed on a document; the message names the stage."""


class InputError(ValueError):
    """The input could not be read (not text, unreadable file, bad JSON line, too large)."""


def _without_surrogates(text: str) -> tuple[str, str | None]:
    """``text`` with its surrogate code points (halves of UTF-16 pairs, not characters: JSON's
    ``"\\ud800"``, text cut between the halves of an emoji) made valid, and a warning when there
    were any: a pair becomes its character, a lone half U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return text, None
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    lone = fixed.count("\ufffd") - text.count("\ufffd")
    pairs = len(text) - len(fixed)
    parts = [f"{lone} lone surrogate code point(s) replaced with U+FFFD"] if lone else []
    if pairs:
        parts.append(f"{pairs} surrogate pair(s) joined into one character each")
    return fixed, Warnings.W004.format(detail="; ".join(parts))


def content_id(text: str) -> str:
    """Stable id of a document without one: a hash of its decoded raw text."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]


class Result:
    """One processed document: the spaCy ``Doc`` and the contract record."""

    def __init__(self, doc: Doc | None = None, record: dict[str, Any] | None = None):
        if doc is None and record is None:
            raise ValueError("a Result needs a Doc or a record")
        self.doc = doc
        self._record = record

    def to_dict(self) -> dict[str, Any]:
        """The contract record (``schema_version`` 1)."""
        if self._record is None:
            assert self.doc is not None
            self._record = build_record(self.doc)
        return self._record

    def to_json(self, **kwargs: Any) -> str:
        """The contract record as one line of JSON (UTF-8 characters kept)."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw-input span of the clean span ``[start, end)``."""
        if self.doc is None or self.doc._.alignment is None:
            raise ValueError("this result carries no alignment (it failed or came from a record)")
        return self.doc._.alignment.to_raw(start, end)

    @property
    def raw(self) -> str | None:
        return None if self.doc is None else self.doc._.raw_text

    def show(self, view: str = "text", **options: Any) -> Any:
        """A visual report (:class:`policytext.report.Report`): Jupyter shows it; ``view="diff"``
        puts raw and clean side by side, ``"both"`` gives both; ``.save(path)`` writes a page."""
        from .report import Report

        return Report(self, view=view, **options)

    def _repr_html_(self) -> str:
        return self.show().html

    def __getattr__(self, name: str) -> Any:
        if name == "words":  # present only when the optional words stage ran
            return self.to_dict().get("words")
        if name in {"id", "source", "date", "text", "edits", "removed", "paragraphs", "sentences", "turns",
                    "entities", "claims", "themes", "warnings", "error"}:
            return self.to_dict()[name]
        raise AttributeError(name)

    def __getstate__(self) -> dict[str, Any]:
        return {"doc": self.doc, "_record": self._record}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        rec = self.to_dict()
        if rec["error"]:
            return f"<Result id={rec['id']!r} error={rec['error']!r}>"
        return (f"<Result id={rec['id']!r} chars={len(rec['text'])} edits={len(rec['edits'])} "
                f"removed={len(rec['removed'])} sentences={len(rec['sentences'])} entities={len(rec['entities'])} "
                f"claims={len(rec['claims'])} themes={sorted(rec['themes'])}>")


@dataclass
class _Stage:
    name: str
    kind: str  # "text" or "doc"
    factory: str | None
    component: Any


def _as_input(item: Any, id: str | None = None, date: str | None = None, source: str | None = None,
              meta: dict[str, Any] | None = None) -> InputDoc:
    if isinstance(item, InputDoc):
        return item
    if isinstance(item, (bytes, bytearray, memoryview)):
        return InputDoc(data=bytes(item), id=id, date=date, source=source, meta=dict(meta or {}))
    if isinstance(item, str):
        return InputDoc(data=item, id=id, date=date, source=source, meta=dict(meta or {}))
    if isinstance(item, dict):
        from .inputs import docs_from_records

        return next(docs_from_records([item], source or "<dict>"))
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], dict):
        ctx = item[1]
        return _as_input(item[0], ctx.get("id"), ctx.get("date"), ctx.get("source"), ctx.get("meta"))
    raise TypeError(f"cannot process {type(item).__name__}: pass str, bytes, a dict with 'text' or 'html', or an InputDoc")


def _as_input_or_error(item: Any) -> InputDoc:
    """``_as_input(item)``, or an InputDoc carrying the error for an item that is not a document
    (``None``, a number...): in a batch it becomes one error record instead of ending the loop."""
    try:
        return _as_input(item)
    except Exception as exc:  # noqa: BLE001
        return InputDoc(data="", source=None, error=f"input error: {exc}")


class Pipeline:
    """A list of named stages: text stages first, then spaCy components. See the module docstring."""

    def __init__(self, text_stages: Sequence[TextStage] = (), nlp: Language | None = None,
                 max_chars: int = DEFAULT_MAX_CHARS, strict: bool = False):
        self._text: list[_Stage] = [_Stage(s.name, "text", getattr(s, "factory_name", None), s) for s in text_stages]
        if nlp is None:
            nlp = spacy.blank("zh")
            nlp.tokenizer = CharTokenizer(nlp.vocab)
        self.nlp = nlp
        self.max_chars = max_chars
        self.nlp.max_length = max_chars
        #: False (default): a stage that fails on a document is skipped and the failure recorded in
        #: the document's warnings; True: the document fails with StageError.
        self.strict = strict
        self.missing: list[str] = []
        self.collect_stats = False  # records carry their stages' counters as "_stats" (policytext.stats)

    # ----- inspecting -------------------------------------------------------------------------
    @property
    def stage_names(self) -> list[str]:
        """Stage names in the order they run."""
        return [s.name for s in self._text] + list(self.nlp.pipe_names)

    @property
    def stages(self) -> list[tuple[str, str, Any]]:
        """``(name, kind, component)`` for every stage, in order; kind is ``text`` or ``doc``."""
        return [(s.name, "text", s.component) for s in self._text] + [
            (name, "doc", proc) for name, proc in self.nlp.pipeline
        ]

    def get_stage(self, name: str) -> Any:
        """The stage object called ``name``."""
        for s in self._text:
            if s.name == name:
                return s.component
        if name in self.nlp.pipe_names:
            return self.nlp.get_pipe(name)
        raise KeyError(self._unknown(name))

    def stage_config(self, name: str) -> dict[str, Any]:
        """Settings of stage ``name``."""
        comp = self.get_stage(name)
        if isinstance(comp, TextStage):
            return dict(comp.config)
        cfg = dict(self.nlp.config["components"].get(name, {}))
        cfg.pop("factory", None)
        return cfg

    def describe(self) -> list[dict[str, Any]]:
        """One dict per stage: name, kind, factory and settings (for ``policytext info``)."""
        out = []
        for name, kind, comp in self.stages:
            factory = comp.factory_name if isinstance(comp, TextStage) else self.nlp.get_pipe_meta(name).factory
            out.append({"name": name, "kind": kind, "factory": factory, "config": _jsonable_config(self.stage_config(name))})
        return out

    def __repr__(self) -> str:
        lines = ["Pipeline("]
        for i, d in enumerate(self.describe(), 1):
            settings = ", ".join(f"{k}={v!r}" for k, v in d["config"].items())
            lines.append(f"  {i}. {d['name']:<10} {d['kind']:<4} {settings}")
        lines.append(")")
        return "\n".join(lines)

    def __contains__(self, name: str) -> bool:
        return name in self.stage_names

    # ----- changing ---------------------------------------------------------------------------
    def add_stage(self, stage: str | TextStage | Callable[..., Any], name: str | None = None, *,
                  before: str | None = None, after: str | None = None, first: bool = False, last: bool = False,
                  config: dict[str, Any] | None = None) -> Any:
        """Add a stage and return it.

        ``stage`` is a registered text-stage name (``"normalize"``), a :class:`TextStage`
        instance, a spaCy factory or component name (``"policytext_claims"``, or the short names
        ``"sentences"``, ``"entities"``, ``"claims"``, ``"themes"``). Position with
        ``before``/``after``/``first``/``last``; text stages always run before doc stages.
        """
        if sum(x is not None and x is not False for x in (before, after, first or None, last or None)) > 1:
            raise ValueError("give at most one of before, after, first, last")
        if isinstance(stage, TextStage):
            if config:
                stage.config.update(config)
            if name:
                stage.name = name
            return self._insert_text(stage, before, after, first)
        if isinstance(stage, str) and stage in text_stage_factories():
            comp = create_text_stage(stage, name=name, config=config)
            return self._insert_text(comp, before, after, first)
        if isinstance(stage, str):
            factory = _DOC_FACTORY_ALIASES.get(stage, stage)
            _import_for_factory(factory)
            for ref in (before, after):
                if ref is not None and ref not in self.nlp.pipe_names:
                    if any(s.name == ref for s in self._text):
                        raise ValueError(Errors.E114.format(stage=stage, ref=ref))
                    raise KeyError(self._unknown(ref))
            return self.nlp.add_pipe(factory, name=name or (stage if stage in _DOC_FACTORY_ALIASES else None),
                                     before=before, after=after, first=first or None, last=last or None,
                                     config=config or {})
        raise TypeError("a stage is a registered stage name or a TextStage instance; to add a function, "
                        "register it with @policytext.register_text_stage or spaCy's @Language.component")

    def _insert_text(self, comp: TextStage, before: str | None, after: str | None, first: bool) -> TextStage:
        if comp.name in self.stage_names:
            raise ValueError(Errors.E106.format(name=comp.name))
        entry = _Stage(comp.name, "text", getattr(comp, "factory_name", None), comp)
        names = [s.name for s in self._text]
        if first:
            self._text.insert(0, entry)
        elif before is not None or after is not None:
            ref = before if before is not None else after
            if ref not in names:
                if ref in self.nlp.pipe_names:
                    raise ValueError(Errors.E115.format(name=comp.name, ref=ref))
                raise KeyError(self._unknown(ref))
            i = names.index(ref)
            self._text.insert(i if before is not None else i + 1, entry)
        else:
            self._text.append(entry)
        return comp

    def remove_stage(self, name: str) -> Any:
        """Remove stage ``name`` and return it."""
        for i, s in enumerate(self._text):
            if s.name == name:
                return self._text.pop(i).component
        if name in self.nlp.pipe_names:
            return self.nlp.remove_pipe(name)[1]
        raise KeyError(self._unknown(name))

    def replace_stage(self, name: str, stage: str | TextStage, config: dict[str, Any] | None = None) -> Any:
        """Put ``stage`` where stage ``name`` is, under the same name."""
        for i, s in enumerate(self._text):
            if s.name == name:
                if isinstance(stage, TextStage):
                    comp = stage
                    if config:
                        comp.config.update(config)
                elif isinstance(stage, str) and stage in text_stage_factories():
                    comp = create_text_stage(stage, name=name, config=config)
                else:
                    raise TypeError(f"{name!r} is a text stage: replace it with a TextStage or a registered text-stage name")
                comp.name = name
                self._text[i] = _Stage(name, "text", getattr(comp, "factory_name", None), comp)
                return comp
        if name in self.nlp.pipe_names:
            if not isinstance(stage, str):
                raise TypeError(f"{name!r} is a doc stage: replace it with a spaCy factory name")
            factory = _DOC_FACTORY_ALIASES.get(stage, stage)
            _import_for_factory(factory)
            return self.nlp.replace_pipe(name, factory, config=config or {})
        raise KeyError(self._unknown(name))

    def configure(self, name: str, **settings: Any) -> Any:
        """Change settings of stage ``name`` (doc stages are rebuilt with the new settings)."""
        comp = self.get_stage(name)
        if isinstance(comp, TextStage):
            settings = comp.resolve_settings(settings)
            unknown = set(settings) - set(comp.default_config)
            if comp.default_config and unknown:
                raise ValueError(Errors.E104.format(name=name, unknown=sorted(unknown), known=sorted(comp.default_config)))
            comp.config.update(settings)
            return comp
        factory = self.nlp.get_pipe_meta(name).factory
        cfg = {**self.stage_config(name), **settings}
        return self.nlp.replace_pipe(name, factory, config=cfg)

    def _unknown(self, name: str) -> str:
        return Errors.E105.format(name=name, stages=self.stage_names)

    # ----- running ----------------------------------------------------------------------------
    def __call__(self, data: str | bytes | InputDoc | dict[str, Any], id: str | None = None, date: str | None = None,
                 source: str | None = None, meta: dict[str, Any] | None = None) -> Result:
        """Process one document (text, bytes in any common Chinese encoding, or a record).

        Raises :class:`InputError` for unreadable input. A stage that fails is skipped and named
        in the result's warnings, or raises :class:`StageError` when the pipeline is ``strict``.
        """
        return Result(self.make_doc_processed(_as_input(data, id, date, source, meta)))

    def make_doc_processed(self, item: InputDoc) -> Doc:
        """Run every stage on ``item`` and return the annotated ``Doc``."""
        state = self.run_text_stages(item)
        return self.annotate(state)

    def run_text_stages(self, item: InputDoc) -> TextState:
        """Decode ``item`` and run the text stages; returns the final text state."""
        if item.error:
            raise InputError(item.error)
        warnings: list[str] = []
        if isinstance(item.data, (bytes, bytearray)):
            try:
                decoded = decode_bytes(bytes(item.data))
            except ValueError as exc:
                raise InputError(str(exc)) from exc
            raw, warnings = decoded.text, list(decoded.warnings)
        else:
            raw, warning = _without_surrogates(item.data)
            if warning:
                warnings.append(warning)
        if not raw.strip() and _EMPTY_WARNING not in warnings:
            warnings.append(_EMPTY_WARNING if not raw else _BLANK_WARNING)
        if len(raw) > self.max_chars:
            raise InputError(Errors.E013.format(count=len(raw), limit=self.max_chars))
        date = None
        if item.date is not None:
            try:
                date = normalize_date(item.date)
            except ValueError as exc:
                warnings.append(Warnings.W003.format(reason=exc))
        state = TextState(raw=raw, doc_id=item.id or content_id(raw), source=item.source, date=date,
                          meta={**item.meta, "is_html": item.is_html}, warnings=warnings)
        if item.keep is not None:
            state.meta[RECORD_META_KEY] = item.keep
        for s in self._text:
            try:
                s.component(state)
            except Exception as exc:  # noqa: BLE001 - reported with the stage's name
                state.warn(self._stage_failed(s.name, exc))
        if raw.strip() and not state.text.strip():
            state.warn(Warnings.W021.format(count=len(raw)))
        return state

    def _stage_failed(self, name: str, exc: Exception) -> str:
        """Raise in strict mode; otherwise the warning that records the skipped stage."""
        if self.strict:
            raise StageError(Errors.E020.format(name=name, exc_type=type(exc).__name__, exc=exc)) from exc
        message = Warnings.W020.format(name=name, exc_type=type(exc).__name__, exc=exc)
        _log.warning("%s", message)
        return message

    def annotate(self, state: TextState) -> Doc:
        """Make the ``Doc`` of a finished text state and run the doc stages on it."""
        doc = self.nlp.make_doc(state.text)
        init_doc_extensions(doc)
        x = doc._
        x.raw_text = state.raw
        x.alignment = state.alignment
        x.doc_id = state.doc_id
        x.source = state.source
        x.doc_date = state.date or find_document_date(state.text)
        x.edits, x.removed = state.record_dicts()
        x.duplicates = duplicate_marks(state)
        x.warnings = list(state.warnings)
        x.paragraphs = [{"start": s, "end": e, "themes": {}} for s, e in _paragraph_spans(state.text)]
        doc.user_data[TEXT_KEY] = state.text  # read by the stages through doc_text(doc)
        if state.meta.get(RECORD_META_KEY) is not None:
            doc.user_data[RECORD_META_KEY] = state.meta[RECORD_META_KEY]  # the record's "meta"
        try:
            for name, proc in self.nlp.pipeline:
                try:
                    doc = proc(doc)
                except Exception as exc:  # noqa: BLE001
                    doc._.warnings.append(self._stage_failed(name, exc))
        finally:
            doc.user_data.pop(TEXT_KEY, None)
        return doc

    def process_record(self, item: InputDoc) -> dict[str, Any]:
        """The contract record of ``item``; failures give a record with ``error`` set."""
        try:
            doc = self.make_doc_processed(item)
            return with_doc_stats(build_record(doc), doc) if self.collect_stats else build_record(doc)
        except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
            return _failure_record(item, exc)

    def pipe(self, docs: Iterable[Any], batch_size: int = 32, n_process: int = 1,
             errors: str = "record", as_tuples: bool = False) -> Iterator[Any]:
        """Process a stream of documents, yielding results in input order.

        ``n_process > 1`` runs documents in worker processes. With ``errors="record"`` (default) a
        failing document yields a result whose ``error`` is set; ``errors="raise"`` re-raises.
        ``as_tuples=True`` (as in spaCy): ``docs`` holds ``(document, context)`` pairs and
        ``(result, context)`` pairs come out, the context passed through untouched.
        """
        if errors not in {"record", "raise"}:
            raise ValueError("errors must be 'record' or 'raise'")
        if as_tuples:
            yield from _with_contexts(self.pipe, docs, batch_size=batch_size, n_process=n_process, errors=errors)
            return
        items = (_as_input_or_error(d) for d in docs)
        if n_process <= 1:
            for item in items:
                try:
                    yield Result(self.make_doc_processed(item))
                except Exception as exc:  # noqa: BLE001
                    if errors == "raise":
                        raise
                    yield Result(record=_failure_record(item, exc))
            return
        for outcome in self._parallel(items, _worker_result, batch_size, n_process):
            if errors == "raise" and outcome.doc is None:
                raise StageError(outcome.to_dict()["error"])
            yield outcome

    def pipe_records(self, docs: Iterable[Any], batch_size: int = 32, n_process: int = 1,
                     as_tuples: bool = False) -> Iterator[Any]:
        """Like :meth:`pipe` but yields contract records (lighter across processes)."""
        if as_tuples:
            yield from _with_contexts(self.pipe_records, docs, batch_size=batch_size, n_process=n_process)
            return
        items = (_as_input_or_error(d) for d in docs)
        if n_process <= 1:
            for item in items:
                yield self.process_record(item)
            return
        yield from self._parallel(items, _worker_record, batch_size, n_process)

    def _parallel(self, items: Iterator[InputDoc], fn: Callable[[InputDoc], Any], batch_size: int,
                  n_process: int) -> Iterator[Any]:
        global _WORKER_PIPELINE
        _WORKER_PIPELINE = self
        yield from parallel_map(fn, items, n_process=n_process, batch_size=batch_size, on_failure=_default_failure(fn))

    # ----- saving -----------------------------------------------------------------------------
    def to_spec(self) -> dict[str, Any]:
        """The stage list and settings as plain JSON data (what :meth:`to_disk` saves; how the
        pipeline travels to Dask workers, which rebuild it with :meth:`from_spec`)."""
        return {"policytext_pipeline": 1, "max_chars": self.max_chars, "strict": self.strict, "stages": self.describe()}

    def to_disk(self, path: str | Path) -> None:
        """Save the stage list and settings as ``pipeline.json`` (JSON only: safe to share)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        spec = self.to_spec()
        (path / "pipeline.json").write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def from_disk(cls, path: str | Path) -> "Pipeline":
        """Rebuild a pipeline saved with :meth:`to_disk` from the registered factories."""
        from .model_folders import check_regular_file

        spec_path = check_regular_file(Path(path) / "pipeline.json", "pipeline file")
        try:
            spec = json.loads(spec_path.read_text(encoding="utf-8"))
        except (ValueError, RecursionError) as exc:  # bad UTF-8/JSON, huge integers, deep nesting
            raise ValueError(Errors.E113.format(path=spec_path, detail=f"{type(exc).__name__}: {exc}")) from None
        if not isinstance(spec, dict) or not isinstance(spec.get("stages"), list):
            raise ValueError(Errors.E113.format(path=spec_path, detail="no 'stages' list"))
        return cls.from_spec(spec)

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> "Pipeline":
        """Rebuild a pipeline from :meth:`to_spec` data (registered factories only)."""
        if not isinstance(spec, dict) or not isinstance(spec.get("stages"), list):
            raise ValueError("not a pipeline spec: no 'stages' list")
        # stage settings name model folders (entities model_path, themes model): each stage checks
        # its folder before loading it (policytext.model_folders), so a shared pipeline cannot run code
        pipeline = cls(max_chars=int(spec.get("max_chars", DEFAULT_MAX_CHARS)), strict=bool(spec.get("strict", False)))
        for st in spec["stages"]:
            _import_stage_module(st["name"])
            if st["kind"] == "text":
                pipeline.add_stage(st["factory"], name=st["name"], config=st["config"])
            else:
                _import_for_factory(st["factory"])
                pipeline.nlp.add_pipe(st["factory"], name=st["name"], config=st["config"])
        return pipeline


def parallel_map(fn: Callable[[Any], Any], items: Iterable[Any], *, n_process: int = 1, batch_size: int = 16,
                 on_failure: Callable[[Any, str], Any]) -> Iterator[Any]:
    """``fn(item)`` for each item, in input order, in ``n_process`` worker processes (forked, so
    ``fn`` and the globals it reads come from this process) when ``n_process > 1``. The pool of
    :meth:`Pipeline.pipe` is used: a worker that dies is replaced and the document it held is
    retried alone; ``on_failure(item, message)`` gives the output of a document that cannot be
    done. ``fn`` should catch its own errors. At most ``batch_size * n_process * 2`` documents are
    in flight, so memory does not grow with the input."""
    if n_process <= 1:
        for item in items:
            yield fn(item)
        return
    window = max(1, batch_size) * n_process * 2
    runner = _WorkerPool(fn, n_process, on_failure)
    try:
        pending: deque[tuple[Any, Future | None]] = deque()
        for item in items:
            pending.append((item, runner.submit(item)))
            while len(pending) >= window:
                yield runner.result(pending)
        while pending:
            yield runner.result(pending)
    finally:
        runner.close()


def _default_failure(fn: Callable[[InputDoc], Any]) -> Callable[[InputDoc, str], Any]:
    def failed(item: InputDoc, message: str) -> Any:
        rec = _failure_record(item, RuntimeError(message))
        return rec if fn is _worker_record else Result(record=rec)

    return failed


def _with_contexts(run: Callable[..., Iterator[Any]], pairs: Iterable[Any], **kwargs: Any) -> Iterator[tuple[Any, Any]]:
    """``run`` over the documents of ``(document, context)`` pairs, each output paired with its
    context again (outputs come in input order, so a queue of contexts lines them up)."""
    contexts: deque[Any] = deque()

    def documents() -> Iterator[Any]:
        for pair in pairs:
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise TypeError(f"as_tuples=True takes (document, context) pairs, got {type(pair).__name__}")
            contexts.append(pair[1])
            yield pair[0]

    for out in run(documents(), **kwargs):
        yield out, contexts.popleft()


_WORKER_PIPELINE: Pipeline | None = None


def _worker_record(item: InputDoc) -> dict[str, Any]:
    assert _WORKER_PIPELINE is not None
    return _WORKER_PIPELINE.process_record(item)


def _worker_result(item: InputDoc) -> Result:
    assert _WORKER_PIPELINE is not None
    try:
        return Result(_WORKER_PIPELINE.make_doc_processed(item))
    except Exception as exc:  # noqa: BLE001
        return Result(record=_failure_record(item, exc))


_WORKER_DIED = Errors.E030


class _WorkerPool:
    """A process pool that survives its workers dying (killed, out of memory, crashed).

    When a worker dies every unfinished document of the pool fails with ``BrokenProcessPool``; the
    first of them in input order is then rerun alone in a fresh one-worker pool (a document that
    kills that worker too becomes an error record), and the others are resubmitted to a fresh pool.
    Each break thus settles at least one document, and every document yields exactly one result."""

    def __init__(self, fn: Callable[[InputDoc], Any], n_process: int,
                 on_failure: Callable[[InputDoc, str], Any] | None = None):
        self.fn = fn
        self.on_failure = on_failure
        self.n_process = n_process
        self.ctx = multiprocessing.get_context("fork")
        self.pool = self._new_pool(n_process)

    def _new_pool(self, n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=n, mp_context=self.ctx)

    def submit(self, item: InputDoc) -> Future | None:
        try:
            return self.pool.submit(self.fn, item)
        except BrokenProcessPool:
            return None  # settled in result()

    def _failed(self, item: InputDoc, message: str) -> Any:
        if self.on_failure is not None:
            return self.on_failure(item, message)
        rec = _failure_record(item, RuntimeError(message))
        return rec if self.fn is _worker_record else Result(record=rec)

    def result(self, pending: deque[tuple[InputDoc, Future | None]]) -> Any:
        """The result of the first pending document (removed from ``pending``)."""
        item, fut = pending.popleft()
        try:
            if fut is None:
                raise BrokenProcessPool("the pool broke before the document was submitted")
            return fut.result()
        except BrokenProcessPool:
            pass
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be sent back
            return self._failed(item, Errors.E031.format(exc_type=type(exc).__name__, exc=exc))
        self.pool.shutdown(wait=True, cancel_futures=True)
        outcome = self._alone(item)
        self.pool = self._new_pool(self.n_process)
        for i, (other, f) in enumerate(pending):
            if f is None or not f.done() or f.exception() is not None:
                pending[i] = (other, self.submit(other))
        return outcome

    def _alone(self, item: InputDoc) -> Any:
        pool = self._new_pool(1)
        try:
            return pool.submit(self.fn, item).result()
        except BrokenProcessPool:
            return self._failed(item, _WORKER_DIED)
        except Exception as exc:  # noqa: BLE001
            return self._failed(item, Errors.E031.format(exc_type=type(exc).__name__, exc=exc))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _failure_record(item: InputDoc, exc: BaseException) -> dict[str, Any]:
    coded = isinstance(exc, (InputError, StageError)) or code_of(str(exc)) is not None
    message = str(exc) if coded else Errors.E021.format(exc_type=type(exc).__name__, exc=exc)
    doc_id = item.id
    if doc_id is None and isinstance(item.data, str) and item.data:
        doc_id = content_id(item.data)
    elif doc_id is None and isinstance(item.data, (bytes, bytearray)) and item.data:
        doc_id = hashlib.sha256(bytes(item.data)).hexdigest()[:16]
    rec = error_record(doc_id, item.source, message, date=item.date)
    if item.keep is not None:
        rec["meta"] = item.keep
    return rec


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    from .paragraphs import paragraph_spans

    return paragraph_spans(text)


def _jsonable_config(cfg: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(cfg, ensure_ascii=False, default=str))


def _import_stage_module(name: str) -> None:
    for stage_name, _, module, _ in DEFAULT_STAGES:
        if stage_name == name and importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def _import_for_factory(factory: str) -> None:
    for _, kind, module, fac in DEFAULT_STAGES:
        if fac == factory and importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def _module_available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def load(stages: Sequence[str] | None = None, *, disable: Sequence[str] = (), config: dict[str, dict[str, Any]] | None = None,
         themes: str | Path | None = None, max_chars: int = DEFAULT_MAX_CHARS, strict: bool = False) -> Pipeline:
    """Build the default pipeline.

    ``stages`` picks stages by name (default: all shipped stages but the optional ``words``, in
    order); ``disable`` leaves some out; ``config`` maps a stage name to its settings, where
    ``"enabled": True/False`` turns a stage on or off (``config={"words": {"enabled": True}}``);
    ``themes`` is the folder of a theme model
    trained with ``policytext train-themes`` (default: the shipped model). ``strict=True`` makes a
    document fail when any stage fails on it (default: the stage is skipped and named in warnings).
    """
    config = {k: dict(v) for k, v in (config or {}).items()}
    if themes is not None:
        config.setdefault("themes", {})["model"] = str(themes)
    known = [s[0] for s in DEFAULT_STAGES]
    enabled = {name: bool(cfg.pop("enabled")) for name, cfg in config.items() if "enabled" in cfg}
    if stages is not None:
        wanted = [n for n in stages if enabled.get(n, True)]
    else:
        wanted = [n for n in known if enabled.get(n, n not in OPTIONAL_STAGES)]
    for name in list(wanted) + list(disable) + list(config):
        if name not in known:
            raise ValueError(Errors.E101.format(name=name, known=known))
    pipeline = Pipeline(max_chars=max_chars, strict=strict)
    for name, kind, module, factory in DEFAULT_STAGES:
        if name not in wanted or name in disable:
            continue
        if not _module_available(module):
            pipeline.missing.append(name)
            continue
        importlib.import_module(module)
        if kind == "text" and factory not in text_stage_factories() or kind == "doc" and not pipeline.nlp.has_factory(factory):
            pipeline.missing.append(name)
            continue
        if kind == "text":
            pipeline.add_stage(factory, name=name, config=config.get(name))
        else:
            pipeline.nlp.add_pipe(factory, name=name, config=config.get(name, {}))
    return pipeline
