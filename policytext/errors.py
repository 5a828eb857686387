"""Every warning and error message the package emits, each with a code (spaCy's ``ErrorsWithCodes``).

Reading ``Warnings.W104`` gives the message template with its code in front,
``"[W104] repair: {spans} misaligned GBK span(s) realigned{holes}"``; ``.format(...)`` fills it in.
Records keep plain strings (``warnings``: a list of strings, ``error``: a string), so the contract is
unchanged; a program tells messages apart by their code (:func:`code_of`), never by their prose.
``docs/errors.md`` lists the catalogue (``python -m policytext.errors`` writes it).

Codes: ``W0xx`` input and decoding, ``W02x`` the pipeline's run, ``W1xx`` repair, ``W2xx``
normalize, ``W3xx`` dedup, ``W4xx`` html, ``W5xx`` entities, ``W6xx`` output. Errors: ``E0xx``
reading a document, ``E02x``/``E03x`` running one, ``E1xx`` configuration (stages, settings),
``E2xx`` the command line and its output files, ``E3xx`` model folders, ``E4xx`` theme models and
labelled data, ``E5xx`` alignment and edit invariants, ``E6xx`` results, records and reports, ``E7xx``
the evaluation commands. ``E014``-``E019`` are arguments of the API that are not documents.
"""

from __future__ import annotations

import re
import sys
from typing import Iterator

__all__ = ["Warnings", "Errors", "code_of", "fields_of", "catalogue", "markdown"]


class ErrorsWithCodes(type):
    """Metaclass: a class attribute ``W104 = "message"`` reads as ``"[W104] message"``."""

    def __getattribute__(cls, code: str) -> str:
        msg = super().__getattribute__(code)
        if code.startswith("_") or not _CODE_NAME.fullmatch(code):
            return msg
        return f"[{code}] {msg}"


_CODE_NAME = re.compile(r"[WE]\d{3}")
_CODE_IN_MESSAGE = re.compile(r"\[([WE]\d{3})\] ")


class Warnings(metaclass=ErrorsWithCodes):
    """Messages of a record's ``warnings``: the document was processed, with something to know."""

    # input and decoding
    W001 = "empty input: the document has no text"
    W002 = "empty input: the document holds only whitespace"
    W003 = "input date ignored: {reason}"
    W004 = "input held surrogate code points (invalid in text): {detail}"
    W010 = "encoding detected as {encoding} (confidence {confidence:.2f}{why})"
    W011 = "encoding uncertain: no encoding decodes every byte; read as {encoding} (confidence 0.30)"
    W012 = ("input ends in the middle of a character (file cut short?): its last {cut} byte(s) replaced "
            "with U+FFFD while decoding as {encoding}")
    W013 = "undecodable bytes: {count} replaced with U+FFFD while decoding as {encoding}"
    W014 = "input holds {count} NUL byte(s): kept in the raw text, removed from the clean text"
    # the pipeline's run
    W020 = "stage {name!r} failed: {exc_type}: {exc} (stage skipped; its output is missing from this record)"
    W021 = "no text left after cleaning: all {count:,} characters were removed (see removed and edits)"
    # repair
    W101 = "repair: {lines} line(s) were in the wrong Chinese encoding and were reversed{lost}"
    W104 = "repair: {spans} misaligned GBK span(s) realigned{holes}"
    W105 = ("repair: {count} unrepairable mojibake span(s) (private-use code points) replaced by U+FFFD and "
            "flagged as mojibake_unrepaired")
    W106 = ("error: repair: the furniture rules would have removed every line of content ({lines} line(s)); "
            "nothing was removed")
    W107 = "{stage}: unrepaired damage ({kinds}) at raw [{raw_start}, {raw_end}): {excerpt!r}"
    W108 = "{stage}: unrepaired damage on {lines} more line(s) at raw [{raw_start}, {raw_end})"
    # normalize
    W201 = "normalize: OpenCC could not convert a line at offset {offset}; left as is"
    # dedup
    W301 = ("{stage}: duplicate section [{start}, {end}) repeats [{of_start}, {of_end}) (raw [{raw_start}, "
            "{raw_end})); kept because mode='mark'")
    # html
    W401 = "error: {stage}: no text left after removing markup (the input held only tags, scripts or styles)"
    # entities
    W501 = "entities: statistical model unavailable ({reason}); using rules and gazetteers only"
    # output
    W601 = "parquet output: key(s) not in the record schema not stored: {keys}"
    W602 = "parquet output: field(s) {fields} did not fit the column type and were not stored"


class Errors(metaclass=ErrorsWithCodes):
    """Messages of a record's ``error`` and of raised exceptions."""

    # reading a document (the record's error; the batch goes on)
    E001 = "input error: expected a JSON object with {text!r} or {html!r}, got {got}"
    E002 = ("input error: the record has no string field {text!r} or {html!r} (fields: {present}; name the "
            "text with --text-field or --html-field)")
    E003 = "input error: line {lineno} is not text ({detail})"
    E004 = "input error: line {lineno} is not valid JSON ({detail})"
    E005 = "input error: not valid JSON ({detail})"
    E006 = "input error: {detail}"
    E007 = "input error: bad CSV after row {row}: {detail}"
    E008 = "input error: not a readable Parquet file ({detail})"
    E009 = "input error: cannot read {path}: {reason}"
    E010 = ("input error: unknown file type {suffix!r} ({path}); read are .txt/.md (text), .html/.htm, .json, "
            ".jsonl/.ndjson, .csv/.tsv and .parquet (leave other files out with --include/--exclude)")
    E011 = ("input looks binary: {share:.0%} of the first characters are control codes when read as {encoding}; "
            "policytext reads text (UTF-8, GB18030/GBK, Big5, UTF-16)")
    E012 = "input looks binary: it contains NUL bytes and does not read as UTF-16 text"
    E013 = "input too large: {count:,} characters (limit {limit:,}); split the document or raise max_chars"
    # arguments of the API that are not documents
    E014 = "input error: cannot process {type}: pass str, bytes, a dict with 'text' or 'html', or an InputDoc"
    E015 = "as_tuples=True takes (document, context) pairs, got {type}"
    E016 = "not a date: {value!r} (expected YYYY-MM-DD)"
    E017 = "document {key}: a mapping needs a string 'text'"
    E018 = "document {key}: expected text, (id, text[, source, date]) or a mapping with 'text'"
    E019 = "segment() takes str, not {type}"
    # running a document
    E020 = "stage {name!r} failed: {exc_type}: {exc}"
    E021 = "{exc_type}: {exc}"
    E030 = ("worker process died while processing this document (killed, out of memory or crashed); the "
            "document was retried alone and killed its worker again")
    E031 = "worker process failed: {exc_type}: {exc}"
    # configuration
    E101 = "unknown stage {name!r}; shipped stages: {known}"
    E102 = "unknown entity backend {name!r}; registered: {registered}"
    E103 = "entities: user dictionary not found: {path}"
    E104 = "unknown setting(s) for stage {name!r}: {unknown}; known: {known}"
    E105 = "no stage named {name!r}; stages: {stages}"
    E106 = "a stage named {name!r} already exists; pass name=... to add another"
    E107 = "no text stage named {name!r}; registered: {registered}"
    E108 = "{stage} mode must be one of {modes}, got {mode!r}"
    E109 = "script={script!r} is not supported: {reason}"
    E110 = "unknown script {script!r}; choose one of {scripts}"
    E111 = "extra_fixes must map strings to strings, got {key!r}: {value!r}"
    E112 = "line_join_min_chars must be a positive integer"
    E113 = "{path} is not a valid pipeline file: {detail}"
    E114 = "{stage!r} is a doc stage and cannot run around text stage {ref!r}: text stages always run first"
    E115 = "text stage {name!r} cannot run around doc stage {ref!r}: text stages run first"
    # model folders (policytext.model_folders: nothing that can run code is loaded)
    E301 = "{what} not found: {path}"
    E302 = "{what} {path} is not a plain file ({kind}); refused"
    E303 = "model folder {path} is not a folder"
    E304 = "model folder {root}: {rel} is a symbolic link; refused"
    E305 = "model folder {root}: {rel} is not a plain file ({kind}); refused"
    E306 = "model folder {root}: {rel} is a pickle-type file (loading it can run code); refused"
    E307 = "model folder {root}: unexpected file {rel} (allowed: {allowed}); refused"
    E308 = "model folder {root}: {rel} is larger than {limit:,} bytes; refused"
    E309 = "{config}: [nlp] is missing"
    E310 = ("{config}: [nlp.tokenizer] is {name!r}; only {allowed} may be loaded (other tokenizers read segmenter "
            "files, some of them pickles); refused")
    E311 = "{config}: [nlp] {hook} is set; model folders may not run callbacks; refused"
    E312 = "{config}: [nlp] pipeline or [components] is malformed; refused"
    E313 = "{config}: component {name!r} has no [components.{name}] block; refused"
    E314 = "{config}: [components.{name}] is sourced from another model; refused"
    E315 = "{config}: [components.{name}] factory {factory!r} is not one of {allowed}; refused"
    E316 = "{config}: [{section}] {key} = {value!r}: registry not allowed in a model folder; refused"
    E317 = "{config}: [{section}] names tokenizer {value!r}; refused"
    E318 = "{config}: [{section}] {key} = {value!r}: only spaCy's and policytext's functions may be named; refused"
    E319 = "{config}: not a readable spaCy config ({detail}); refused"
    # word and fast-tagger model folders
    E330 = "word model folder not found: {path}"
    E331 = "refusing to load the word model: {detail}{hint}"
    E332 = "word model folder {path} lacks {missing}"
    E333 = "{path}: not a pkuseg feature file ({detail})"
    E334 = "{path}: weights.npz does not match features.msgpack ({weights} weights, {features} features, {tags} tags)"
    E335 = "the word model models/{name} is not installed"
    E336 = "lexicon {prefix}: min_len must be at least 2, got {min_len}"
    E340 = "no fast tagger model at {path}"
    E341 = "{path}: unexpected files: {detail}"
    E342 = "{path}: missing {name}"
    E343 = "{path}/meta.json: {detail}"
    E344 = "{path}/weights.npz: {detail}"
    # entity backends' models
    E345 = "no spaCy model at {path}"
    E346 = "backend \"hanlp\" needs model_path (a HanLP NER model on disk)"
    E347 = "HanLP is not installed: pip install \"policytext[hanlp]\""
    E348 = "HanLP could not load {path}: {detail}"
    # the repair stage's line classifier (models/lines)
    E350 = "line classifier: the model's features do not match this version of policytext"
    E351 = "line classifier: weights have the wrong shape"
    # theme models and labelled data (policytext.components.themes)
    E401 = "no theme model: models/themes is missing and no model folder was given"
    E402 = "{path} is missing"
    E403 = "{path} is larger than {limit} bytes"
    E404 = "{path} is not a folder"
    E405 = "{path} is not valid JSON: {detail}"
    E406 = "{path} is not a {format} model (model.json 'format' differs)"
    E407 = "unsupported format_version {version!r}"
    E408 = "{path} is not a valid weights file: {detail}"
    E409 = "array {name!r} has dtype {dtype}, expected floats"
    E410 = "'labels' must be a non-empty list of strings"
    E411 = "'vocabulary' must be a list of strings"
    E412 = "unsupported analyzer {analyzer!r}"
    E413 = "'ngram_range' must be two small integers"
    E414 = "unknown fallback {fallback!r}: expected one of {fallbacks}"
    E415 = "malformed model: {detail}"
    E416 = "unknown text normalisation {name!r}: expected one of {normalizers}"
    E417 = "vocabulary has duplicate terms"
    E418 = "idf has shape {shape}, vocabulary has {terms} terms"
    E419 = "coef has shape {shape}, expected {expected}"
    E420 = "span labels (start, end, label) are not text-classification labels"
    E421 = "expected JSON objects"
    E422 = "corpus rows without text: load them with read_labelled(path, data_dir=...)"
    E423 = "CSV needs a 'text' column"
    E424 = "CSV needs a 'labels' (or 'label') column"
    E425 = "{path}: invalid JSON: {detail}"
    E426 = "{path}:{lineno}: invalid JSON line: {detail}"
    E427 = "{path}: no labelled texts found{skipped}"
    E428 = "checksum mismatch for {ref}{why}"
    E430 = "web page {page!r} not found in {file}"
    E431 = "{path} has no record {record}"
    # a theme model's arrays
    E440 = "{name} must have one value per label"
    E441 = "duplicate labels"
    E442 = "{name} has non-finite values"
    E443 = "thresholds must lie in [0, 1]"
    # training and applying theme models
    E450 = "unknown classifier {kind!r}: choose one of {classifiers}"
    E451 = "{name} must be 'share' or 'max', got {value!r}"
    E452 = "threshold_shrink must lie in [0, 1]"
    E453 = "texts and labels differ in length ({texts} texts, {labels} label lists)"
    E454 = "need at least 4 labelled texts to train, got {count}"
    E455 = "bad learner rule {rule!r}: learners[@random|source|both][:platt|isotonic][~shrink]"
    # alignment and edits (invariants: a stage that breaks them has a bug)
    E501 = "invalid edit span [{start}, {end})"
    E502 = "edit [{start}, {end}) beyond text length {length}"
    E503 = "edit [{start}, {end}) overlaps the previous edit ending at {reach}"
    E504 = "EditBatch columns differ in length: {starts} starts, {ends} ends, {replacements} replacements"
    E505 = "EditBatch has {edits} edits but {notes} notes"
    E506 = "raw_start has {starts} characters, raw_end {ends}"
    E507 = "span [{start}, {end}) outside clean text of length {length}"
    # results, records and reports
    E601 = "a Result needs a Doc or a record"
    E602 = "this result carries no alignment (it failed or came from a record)"
    E603 = "{type} is not JSON serialisable"
    E604 = "{field} span [{start}, {end}) outside text of length {length}"
    E605 = "span text mismatch: {text!r}"
    E606 = "to_frames takes result records (dicts) or Result objects, not {type}"
    E607 = "cannot read claims from {type}"
    E610 = "unknown view {view!r}; choose one of {views}"
    E611 = ("the side-by-side view needs the raw text and the alignment: show a Result from the pipeline, not a "
            "record read back from JSON")
    E612 = "cannot report on {type}: pass a policytext Result or a record dict"
    E613 = "this document carries no alignment"
    E614 = "page markup would end its script holder"
    # evaluation commands (python -m policytext.evaluation.*; they need the repository's data)
    E701 = "{what} not found: {path} (it comes from {where})"
    E702 = "no statistical model found (models/ner); train it with training/ner/train.sh"
    E703 = "unknown {what} {name!r}; choose one of {known}"
    E704 = "{id}: unit text does not match its offsets: {unit}"
    E705 = "{path}: no labelled rows"
    E116 = "words: entities must be one of {modes}, not {entities!r}"
    E117 = "{path}:{lineno}: unknown label {label!r} (expected one of {labels})"
    # the pipeline's API (policytext.pipeline, policytext.stage_registry)
    E118 = "give at most one of before, after, first, last"
    E119 = ("a stage is a registered stage name or a TextStage instance; to add a function, register it with "
            "@policytext.register_text_stage or spaCy's @Language.component")
    E120 = "{name!r} is a text stage: replace it with a TextStage or a registered text-stage name"
    E121 = "{name!r} is a doc stage: replace it with a spaCy factory name"
    E122 = "errors must be 'record' or 'raise', got {errors!r}"
    E123 = ("no stage factory named {name!r}; text stages: {text_stages}, shipped doc stages: {doc_stages} "
            "(or any spaCy factory)")
    # command line (reported as "policytext COMMAND: error: ..." with exit status 2)
    E201 = "unknown format {fmt!r}; choose one of {formats}"
    E202 = "--resume needs an output file (-o)"
    E203 = "parquet output needs a file: pass -o OUT.parquet"
    E204 = "--resume works with jsonl and parquet output, not {fmt}"
    E205 = ("{path}: line {lineno} is not a JSON record and is not the last line; not resuming into a file this "
            "command did not write")
    E206 = "standard input ('-') can be named only once"
    E207 = "the output file {path} is also an input"
    E208 = "no such file or directory: {path}"
    E209 = "--shard takes I/N (e.g. 0/4), not {value!r}"
    E210 = "--shard {value}: need 0 <= I < N"
    E211 = "{option} must be at least {minimum}"
    E212 = "--set takes STAGE.KEY=VALUE (e.g. entities.backend=none), not {item!r}"
    E213 = "--user-dict: no such file: {path}"
    E214 = "--pipeline {path}: no pipeline.json there (save one with nlp.to_disk)"
    E215 = "--set {name}...: no stage named {name!r}; stages: {stages}"
    E216 = "--set for stage(s) left out with --disable: {stages}"
    E217 = "--resume {why}"
    E218 = "cannot write output: {detail}"
    E219 = "--dask needs dask.distributed: pip install 'policytext[dask]' ({detail})"
    E220 = "{option} must be between 0 and 1"
    E221 = "no labelled rows to evaluate"
    E222 = "cannot write --stats {path}: {detail}"


def code_of(message: str | None) -> str | None:
    """The code a message starts with (``"W104"``), or None for a message without one (a user's own
    component may add plain strings)."""
    if not message:
        return None
    m = _CODE_IN_MESSAGE.match(message)
    return m.group(1) if m else None


def fields_of(message: str) -> dict[str, str]:
    """The fields of a coded message, read back through its template:
    ``fields_of(Warnings.W020.format(name="entities", ...))["name"] == "'entities'"`` (as formatted);
    ``{}`` when the message has no code or does not fit its template."""
    code = code_of(message)
    if code is None:
        return {}
    m = _template_pattern(code).fullmatch(message)
    return m.groupdict() if m else {}


def _template_pattern(code: str) -> "re.Pattern[str]":
    cls = Warnings if code.startswith("W") else Errors
    template = getattr(cls, code)
    parts, names = [], set()
    pos = 0
    for m in _FIELD.finditer(template):
        parts.append(re.escape(template[pos:m.start()]))
        name = m.group(1)
        parts.append(f"(?P<{name}>.*?)" if name not in names else ".*?")
        names.add(name)
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts), re.DOTALL)


_FIELD = re.compile(r"\{(\w+)[^{}]*\}")


def catalogue() -> Iterator[tuple[str, str, str]]:
    """``(code, kind, template)`` of every message, in code order; kind is ``warning`` or ``error``."""
    for cls, kind in ((Warnings, "warning"), (Errors, "error")):
        for code in sorted(vars(cls)):
            if _CODE_NAME.fullmatch(code):
                yield code, kind, type.__getattribute__(cls, code)


def markdown() -> str:
    """``docs/errors.md``: the catalogue as a Markdown page."""
    lines = [
        "# Warnings and errors",
        "",
        "Every message policytext writes into a record's `warnings` or `error`, or raises, starts with a",
        "code in brackets: `[W104] repair: 3 misaligned GBK span(s) realigned`. The record keeps plain",
        "strings (the contract is unchanged); match the code, never the prose, which may be reworded.",
        "`policytext.errors.code_of(message)` reads it; `Warnings.W104` / `Errors.E013` give the templates.",
        "The counters `policytext tag --stats FILE` writes count warnings and failures by these codes",
        "(README, *Counters*). This page is generated: `python -m policytext.errors > docs/errors.md`.",
        "",
        "Exceptions carry codes too (`ValueError: [E118] give at most one of before, after, first, last`),",
        "with their types unchanged (`except ValueError` still works). Blocks: W0xx input, W02x the run,",
        "W1xx-W6xx the stages and output; E0xx reading a document (E014-E019 other API arguments), E02x/E03x",
        "running one, E1xx configuration and the pipeline's API, E2xx the command line, E3xx model folders,",
        "E4xx theme models, E5xx alignment invariants (a stage that breaks one has a bug), E6xx results,",
        "records and reports, E7xx the evaluation commands. `tests/test_errors.py` fails on a new message",
        "written as prose instead of a code.",
        "",
        "A warning starting with `error:` (W106, W401) marks a stage that refused to act on the document",
        "because its result would have been empty; the document is still processed.",
        "",
        "| code | kind | message (fields in braces) |",
        "|---|---|---|",
    ]
    for code, kind, template in catalogue():
        cell = template.replace("|", "\\|")
        lines.append(f"| {code} | {kind} | `{cell}` |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - writes docs/errors.md
    sys.stdout.write(markdown())
