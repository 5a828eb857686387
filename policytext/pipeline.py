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

import json
import logging
from functools import partial
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .components.extensions import TEXT_KEY
from .contexts import run_with_contexts
from .doc_from_state import doc_from_state, record_from_state
from .errors import Errors, Warnings
from .inputs import InputDoc
from .failures import InputError, StageError, failure_message, failure_record
from .intake import start_state, to_input_doc, to_input_doc_or_error
from .parallel import parallel_map
from .pipeline_file import check_spec, read_pipeline_file
from .record import content_id
from .result import Result
from .stage_registry import DEFAULT_STAGES, OPTIONAL_STAGES, find_stage, jsonable_config, stages_to_load
from .stages.base import TextStage, create_text_stage
from .state import TextState
from .stats import with_doc_stats
from .tokenizer import CharTokenizer

__all__ = ["Pipeline", "Result", "load", "StageError", "InputError", "DEFAULT_STAGES", "OPTIONAL_STAGES",
           "DEFAULT_MAX_CHARS", "content_id", "parallel_map"]

_log = logging.getLogger("policytext")
DEFAULT_MAX_CHARS = 50_000_000


class Pipeline:
    """A list of named stages: text stages first, then spaCy components. See the module docstring."""

    def __init__(self, text_stages: Sequence[TextStage] = (), nlp: Language | None = None,
                 max_chars: int = DEFAULT_MAX_CHARS, strict: bool = False):
        self._text: list[TextStage] = list(text_stages)
        if nlp is None:
            nlp = spacy.blank("zh")
            nlp.tokenizer = CharTokenizer(nlp.vocab)
        self.nlp = nlp
        self.max_chars = max_chars
        self.nlp.max_length = max_chars
        #: False (default): a stage that fails on a document is skipped and the failure recorded in
        #: the document's warnings; True: the document fails with StageError.
        self.strict = strict
        self.collect_stats = False
        self._warmed = False  # see warm_up

    @property
    def stage_names(self) -> list[str]:
        """Stage names in the order they run."""
        return [s.name for s in self._text] + list(self.nlp.pipe_names)

    @property
    def stages(self) -> list[tuple[str, str, Any]]:
        """``(name, kind, component)`` for every stage, in order; kind is ``text`` or ``doc``."""
        return [(s.name, "text", s) for s in self._text] + [(name, "doc", proc) for name, proc in self.nlp.pipeline]

    def get_stage(self, name: str) -> Any:
        """The stage object called ``name``."""
        i = self._text_index(name)
        if i is not None:
            return self._text[i]
        if name in self.nlp.pipe_names:
            return self.nlp.get_pipe(name)
        raise KeyError(self._no_such_stage(name))

    def _text_index(self, name: str) -> int | None:
        return next((i for i, s in enumerate(self._text) if s.name == name), None)

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
        return [{"name": name, "kind": kind,
                 "factory": comp.factory_name if kind == "text" else self.nlp.get_pipe_meta(name).factory,
                 "config": jsonable_config(self.stage_config(name))} for name, kind, comp in self.stages]

    def __repr__(self) -> str:
        lines = [f"  {i}. {d['name']:<10} {d['kind']:<4} " + ", ".join(f"{k}={v!r}" for k, v in d["config"].items())
                 for i, d in enumerate(self.describe(), 1)]
        return "\n".join(["Pipeline(", *lines, ")"])

    def __contains__(self, name: str) -> bool:
        return name in self.stage_names

    def _no_such_stage(self, name: str) -> str:
        return Errors.E105.format(name=name, stages=self.stage_names)

    def add_stage(self, stage: str | TextStage, name: str | None = None, *, before: str | None = None,
                  after: str | None = None, first: bool = False, last: bool = False,
                  config: dict[str, Any] | None = None) -> Any:
        """Add a stage and return it.

        ``stage`` is a registered text-stage name (``"normalize"``), a :class:`TextStage`
        instance, a spaCy factory or component name (``"policytext_claims"``, or the short names
        ``"sentences"``, ``"entities"``, ``"claims"``, ``"themes"``). Position with
        ``before``/``after``/``first``/``last``; text stages always run before doc stages.
        """
        if sum(bool(x) for x in (before is not None, after is not None, first, last)) > 1:
            raise ValueError(Errors.E118)
        if isinstance(stage, TextStage):
            stage.config.update(config or {})
            stage.name = name or stage.name
            return self._insert_text_stage(stage, before, after, first)
        if not isinstance(stage, str):
            raise TypeError(Errors.E119)
        kind, factory = find_stage(stage)
        if kind == "text":
            return self._insert_text_stage(create_text_stage(factory, name=name, config=config), before, after, first)
        for ref in (before, after):
            if ref is not None and ref not in self.nlp.pipe_names:
                if any(s.name == ref for s in self._text):
                    raise ValueError(Errors.E114.format(stage=stage, ref=ref))
                raise KeyError(self._no_such_stage(ref))
        return self.nlp.add_pipe(factory, name=name or (stage if factory != stage else None), before=before,
                                 after=after, first=first or None, last=last or None, config=config or {})

    def _insert_text_stage(self, stage: TextStage, before: str | None, after: str | None, first: bool) -> TextStage:
        if stage.name in self.stage_names:
            raise ValueError(Errors.E106.format(name=stage.name))
        names = [s.name for s in self._text]
        ref = before if before is not None else after
        if ref in names:
            at = names.index(ref) + (before is None)
        elif ref is None:
            at = 0 if first else len(names)
        elif ref in self.nlp.pipe_names:
            raise ValueError(Errors.E115.format(name=stage.name, ref=ref))
        else:
            raise KeyError(self._no_such_stage(ref))
        self._text.insert(at, stage)
        return stage

    def remove_stage(self, name: str) -> Any:
        """Remove stage ``name`` and return it."""
        self.get_stage(name)  # KeyError for an unknown name
        i = self._text_index(name)
        return self._text.pop(i) if i is not None else self.nlp.remove_pipe(name)[1]

    def replace_stage(self, name: str, stage: str | TextStage, config: dict[str, Any] | None = None) -> Any:
        """Put ``stage`` where stage ``name`` is, under the same name."""
        i = self._text_index(name)
        if i is not None:
            if isinstance(stage, str) and find_stage(stage)[0] == "text":
                stage = create_text_stage(stage, name=name, config=config)
            elif not isinstance(stage, TextStage):
                raise TypeError(Errors.E120.format(name=name))
            stage.config.update(config or {})
            stage.name = name
            self._text[i] = stage
            return stage
        self.get_stage(name)  # KeyError for an unknown name
        if not isinstance(stage, str):
            raise TypeError(Errors.E121.format(name=name))
        return self.nlp.replace_pipe(name, find_stage(stage)[1], config=config or {})

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
        return self.nlp.replace_pipe(name, factory, config={**self.stage_config(name), **settings})

    def __call__(self, data: str | bytes | InputDoc | dict[str, Any], id: str | None = None, date: str | None = None,
                 source: str | None = None, meta: dict[str, Any] | None = None) -> Result:
        """Process one document (text, bytes in any common Chinese encoding, or a record).

        Raises :class:`InputError` for unreadable input. A stage that fails is skipped and named
        in the result's warnings, or raises :class:`StageError` when the pipeline is ``strict``.
        """
        return self.process(to_input_doc(data, id, date, source, meta))

    def process(self, item: InputDoc) -> Result:
        """Run every stage on ``item``."""
        state = self.run_text_stages(item)
        return Result(self.run_doc_stages(state), text=state.text)

    def run_text_stages(self, item: InputDoc) -> TextState:
        """Decode ``item`` and run the text stages; returns the final text state."""
        state = start_state(item, self.max_chars)
        for stage in self._text:
            try:
                stage(state)
            except Exception as exc:  # noqa: BLE001 - reported with the stage's name
                state.warn(self._failed_stage_warning(stage.name, exc))
        if state.raw.strip() and not state.text.strip():
            state.warn(Warnings.W021.format(count=len(state.raw)))
        return state

    def run_doc_stages(self, state: TextState) -> Doc:
        """Make the ``Doc`` of a finished text state and run the doc stages on it."""
        doc = doc_from_state(self.nlp, state)
        doc.user_data[TEXT_KEY] = state.text  # read by the stages through doc_text(doc)
        try:
            for name, proc in self.nlp.pipeline:
                try:
                    doc = proc(doc)
                except Exception as exc:  # noqa: BLE001
                    doc._.warnings.append(self._failed_stage_warning(name, exc))
        finally:
            doc.user_data.pop(TEXT_KEY, None)
        return doc

    def warm_up(self) -> None:
        """Run the stages once on a short built-in text (once per pipeline), so that the tables
        and models they load on first use are loaded in this process: worker processes forked
        afterwards (``pipe(n_process=N)``) share them instead of each loading them again. Only
        caches are filled; no document's output depends on it. Skipped when the pipeline holds a
        stage from outside policytext (it might count or store the documents it sees)."""
        if self._warmed:
            return
        self._warmed = True
        stages = list(self._text) + [proc for _name, proc in self.nlp.pipeline]
        if not all(type(st).__module__.startswith("policytext.") for st in stages):
            return  # a stage of the user's own could count or store documents: no extra one
        try:
            self.process(to_input_doc(_WARM_UP_TEXT))
        except Exception:  # noqa: BLE001 - a failure shows again on the first real document
            pass

    def _failed_stage_warning(self, name: str, exc: Exception) -> str:
        """Raise in strict mode; otherwise the warning that records the skipped stage."""
        if self.strict:
            raise StageError(Errors.E020.format(name=name, exc_type=type(exc).__name__, exc=exc)) from exc
        message = Warnings.W020.format(name=name, exc_type=type(exc).__name__, exc=exc)
        _log.warning("%s", message)
        return message

    def pipe(self, docs: Iterable[Any], batch_size: int = 32, n_process: int = 1, errors: str = "record",
             as_tuples: bool = False, as_records: bool = False, batch_docs: bool | None = None) -> Iterator[Any]:
        """Process a stream of documents, yielding :class:`Result` objects in input order.

        ``n_process > 1`` runs documents in worker processes. With ``errors="record"`` (default) a
        failing document yields a result whose ``error`` is set; ``errors="raise"`` re-raises.
        ``as_tuples=True`` (as in spaCy): ``docs`` holds ``(document, context)`` pairs and
        ``(result, context)`` pairs come out, the context passed through untouched.
        ``as_records=True`` yields contract records (dicts) instead: lighter across processes.
        ``batch_docs``: run the doc stages over batches of ``batch_size`` documents (a stage's
        ``pipe`` then sees the batch: the entity tagger tags it in one call; same outputs). It
        waits for a batch to fill before the first result comes out, so the default (None) batches
        only a list or tuple, never a stream (``policytext tag -`` answers each line at once).
        """
        if errors not in {"record", "raise"}:
            raise ValueError(Errors.E122.format(errors=errors))
        if batch_docs is None:
            batch_docs = isinstance(docs, (list, tuple))
        if as_tuples:
            yield from run_with_contexts(partial(self.pipe, batch_size=batch_size, n_process=n_process,
                                                 errors=errors, as_records=as_records, batch_docs=batch_docs), docs)
            return
        items = (to_input_doc_or_error(d) for d in docs)
        if n_process <= 1:
            # in batches: a doc stage with a ``pipe`` method (entities) handles a batch at once
            for batch in _batches(items, max(1, batch_size) if batch_docs else 1, BATCH_CHARS):
                for out in self._process_batch(batch, as_records, reraise=errors == "raise"):
                    if isinstance(out, _Raised):
                        raise out.exc
                    yield out
            return
        global _WORKER_PIPELINE
        self.warm_up()  # what the stages load on first use is loaded once, here, and shared by the workers
        _WORKER_PIPELINE = self  # forked workers find the pipeline here
        outputs = parallel_map(partial(_process_in_worker, as_records=as_records), items, n_process=n_process,
                               batch_size=batch_size, on_failure=partial(_failure_output, as_records=as_records))
        for out in outputs:
            error = out["error"] if as_records else out.doc is None and out.to_dict()["error"]
            if errors == "raise" and error:
                raise StageError(error)
            yield out

    def pipe_records(self, docs: Iterable[Any], batch_size: int = 32, n_process: int = 1,
                     as_tuples: bool = False, batch_docs: bool | None = None) -> Iterator[Any]:
        """:meth:`pipe` yielding contract records: ``pipe(docs, ..., as_records=True)``."""
        return self.pipe(docs, batch_size=batch_size, n_process=n_process, as_tuples=as_tuples, as_records=True,
                         batch_docs=batch_docs)

    def run_doc_stages_many(self, states: list[TextState]) -> list[Doc | Exception]:
        """:meth:`run_doc_stages` for several text states, stage by stage: a stage with a
        ``pipe`` method gets the batch's Docs at once. Each Doc gets what it would get alone: a
        stage failing on a Doc is rerun one Doc at a time from that Doc on, and a Doc that
        cannot be made, or fails in strict mode, comes back as its exception."""
        docs: list[Any] = []
        for state in states:
            try:
                doc = doc_from_state(self.nlp, state)
                doc.user_data[TEXT_KEY] = state.text  # read by the stages through doc_text(doc)
                docs.append(doc)
            except Exception as exc:  # noqa: BLE001 - this document only
                docs.append(exc)
        try:
            for name, proc in self.nlp.pipeline:
                live = [k for k, d in enumerate(docs) if isinstance(d, Doc)]
                for k, d in zip(live, self._run_stage(name, proc, [docs[k] for k in live])):
                    docs[k] = d
        finally:
            for d in docs:
                if isinstance(d, Doc):
                    d.user_data.pop(TEXT_KEY, None)
        return docs

    def _run_stage(self, name: str, proc: Any, docs: list[Doc]) -> list[Doc | Exception]:
        done: list[Doc | Exception] = []
        if len(docs) > 1 and hasattr(proc, "pipe"):
            try:
                for doc in proc.pipe(docs):
                    done.append(doc)
            except Exception:  # noqa: BLE001 - the rest goes one by one, so the failure is the doc's
                pass
        for doc in docs[len(done):]:
            try:
                done.append(proc(doc))
            except Exception as exc:  # noqa: BLE001
                try:
                    doc._.warnings.append(self._failed_stage_warning(name, exc))
                    done.append(doc)
                except StageError as err:
                    done.append(err)
        return done

    def _process_batch(self, items: list[InputDoc], as_records: bool, reraise: bool = False) -> list[Any]:
        """:meth:`_process_or_fail` for each item, the doc stages run over the batch
        (:meth:`run_doc_stages_many`); with ``reraise`` a failure comes back as ``_Raised``.
        Records of a batch are made inside one memory zone, as a single record is in
        :meth:`_process_or_fail`."""
        if not self.nlp.pipeline or len(items) == 1:
            return [self._process_or_fail_marked(item, as_records, reraise) for item in items]
        if as_records and hasattr(self.nlp, "memory_zone"):
            with self.nlp.memory_zone():
                return self._process_batch_unzoned(items, as_records, reraise)
        return self._process_batch_unzoned(items, as_records, reraise)

    def _process_batch_unzoned(self, items: list[InputDoc], as_records: bool, reraise: bool = False) -> list[Any]:
        outs: list[Any] = [None] * len(items)
        states: list[tuple[int, TextState]] = []
        for k, item in enumerate(items):
            try:
                states.append((k, self.run_text_stages(item)))
            except Exception as exc:  # noqa: BLE001
                outs[k] = self._failed(item, exc, as_records, reraise)
        docs = self.run_doc_stages_many([st for _k, st in states])
        for (k, state), doc in zip(states, docs):
            try:
                if isinstance(doc, Exception):
                    raise doc
                result = Result(doc, text=state.text)
            except Exception as exc:  # noqa: BLE001
                outs[k] = self._failed(items[k], exc, as_records, reraise)
                continue
            try:  # as in _process_or_fail: a record that cannot be built is raised, not recorded
                outs[k] = (with_doc_stats(result.to_dict(), result.doc) if self.collect_stats else result.to_dict()) \
                    if as_records else result
            except Exception as exc:  # noqa: BLE001
                outs[k] = _Raised(exc)
        return outs

    def _process_or_fail_marked(self, item: InputDoc, as_records: bool, reraise: bool) -> Any:
        try:
            return self._process_or_fail(item, as_records, reraise)
        except Exception as exc:  # noqa: BLE001 - raised where the document's output would be
            return _Raised(exc)

    @staticmethod
    def _failed(item: InputDoc, exc: Exception, as_records: bool, reraise: bool) -> Any:
        return _Raised(exc) if reraise else _failure_output(item, failure_message(exc), as_records)

    def _process_or_fail(self, item: InputDoc, as_records: bool, reraise: bool = False) -> Any:
        """The result (or record) of ``item``; a failure gives an error result unless ``reraise``.

        A record is made inside the spaCy pipeline's ``memory_zone``: the strings and lexemes the
        document brought into the vocab (a new number, a Latin word) are freed once its record (plain
        Python data) is made, so a long stream of records does not grow the vocab (about 0.85 KB a
        document before). A :class:`Result` keeps its ``Doc``, so it is made outside any zone."""
        if as_records and hasattr(self.nlp, "memory_zone"):
            with self.nlp.memory_zone():
                return self._process_or_fail_unzoned(item, as_records, reraise)
        return self._process_or_fail_unzoned(item, as_records, reraise)

    def _process_or_fail_unzoned(self, item: InputDoc, as_records: bool, reraise: bool = False) -> Any:
        try:
            if as_records and not self.nlp.pipeline:  # no doc stage: no Doc needed for the record
                return record_from_state(self.run_text_stages(item))
            result = self.process(item)
        except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
            if reraise:
                raise
            return _failure_output(item, failure_message(exc), as_records)
        if as_records:  # with collect_stats the record carries its stages' counters (policytext.stats)
            return with_doc_stats(result.to_dict(), result.doc) if self.collect_stats else result.to_dict()
        return result

    def to_spec(self) -> dict[str, Any]:
        """The stage list and settings as plain JSON data (what :meth:`to_disk` saves; how the
        pipeline travels to Dask workers, which rebuild it with :meth:`from_spec`)."""
        return {"policytext_pipeline": 1, "max_chars": self.max_chars, "strict": self.strict, "stages": self.describe()}

    def to_disk(self, path: str | Path) -> None:
        """Save the stage list and settings as ``pipeline.json`` (JSON only: safe to share)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "pipeline.json").write_text(json.dumps(self.to_spec(), ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def from_disk(cls, path: str | Path) -> "Pipeline":
        """Rebuild a pipeline saved with :meth:`to_disk` from the registered factories."""
        return cls.from_spec(read_pipeline_file(Path(path) / "pipeline.json"))

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> "Pipeline":
        """Rebuild a pipeline from :meth:`to_spec` data (registered factories only)."""
        check_spec(spec)
        # stage settings name model folders (entities model_path, themes model): each stage checks
        # its folder before loading it (policytext.model_folders), so a shared pipeline cannot run code
        pipeline = cls(max_chars=int(spec.get("max_chars", DEFAULT_MAX_CHARS)), strict=bool(spec.get("strict", False)))
        for st in spec["stages"]:
            pipeline.add_stage(st["factory"], name=st["name"], config=st["config"])
        return pipeline


# exercises the stages' first-use loads: a furniture line, injected pinyin, traditional script, a
# transcript turn, names, dates, numbers, a repeated paragraph
_WARM_UP_TEXT = (
    "首页 > 新闻中心 > 权威发布\n"
    "国务院新闻办公室于2025年3月5日（星期三）上午10时举行新闻发布会。\n"
    "主持人：国家数据局局长刘烈宏介绍，數(shù)據(jù)要素市场规模达到1.2万亿元，同比增长15.3%。\n"
    "“东数西算”工程深入实施，上海市经济和信息化委员会会同有关部门推进《数据安全法》落实。\n"
    "Hello world, page 1 of 2 | 责任编辑：王明\n"
    "“东数西算”工程深入实施，上海市经济和信息化委员会会同有关部门推进《数据安全法》落实。\n"
)


BATCH_CHARS = 200_000  # a batch of documents closes past this many characters (input size)


def _batches(items: Iterable[InputDoc], size: int, max_chars: int) -> Iterator[list[InputDoc]]:
    """Lists of up to ``size`` items, closed early once they hold ``max_chars`` characters (or
    bytes) of input: a batch holds at most one large document beside ``max_chars`` of others, so
    batching the doc stages does not multiply the memory a large document takes."""
    batch: list[InputDoc] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += len(item.data) if isinstance(item.data, (str, bytes)) else 0
        if len(batch) >= size or chars >= max_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


class _Raised:
    """A document's exception, raised where its output would be yielded (``errors="raise"``)."""

    def __init__(self, exc: Exception):
        self.exc = exc


_WORKER_PIPELINE: Pipeline | None = None  # the pipeline of Pipeline.pipe's forked workers


def _process_in_worker(item: InputDoc, as_records: bool) -> Any:
    assert _WORKER_PIPELINE is not None
    return _WORKER_PIPELINE._process_or_fail(item, as_records)


def _failure_output(item: InputDoc, message: str, as_records: bool) -> Any:
    record = failure_record(item, message)
    return record if as_records else Result(record=record)


def load(stages: Sequence[str] | None = None, *, disable: Sequence[str] = (), config: dict[str, dict[str, Any]] | None = None,
         themes: str | Path | None = None, max_chars: int = DEFAULT_MAX_CHARS, strict: bool = False) -> Pipeline:
    """Build the default pipeline. ``stages``: stages by name (default: all shipped stages but the
    optional ``words``, in order); ``disable``: stages left out; ``config``: stage name -> settings,
    where ``"enabled": True/False`` turns a stage on or off (``config={"words": {"enabled": True}}``);
    ``themes``: a model folder from ``policytext train-themes`` (default: the shipped model);
    ``strict=True``: a document fails when a stage fails on it (default: skipped, named in warnings)."""
    config = {k: dict(v) for k, v in (config or {}).items()}
    if themes is not None:
        config.setdefault("themes", {})["model"] = str(themes)
    pipeline = Pipeline(max_chars=max_chars, strict=strict)
    for stage in stages_to_load(stages, disable, config):
        pipeline.add_stage(stage.factory, name=stage.name, config=config.get(stage.name))
    return pipeline
