"""No input stops, stalls or silently drops out of a batch: every input gives exactly one record,
a bad one with its reason in ``error`` (issue #18, item 2 and the fault-injection test)."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest

import policytext
from policytext import TextStage, register_text_stage
from policytext.cli import main
from policytext.errors import code_of, fields_of
from policytext.inputs import iter_inputs

GOOD = "国家数据局发布《关于加快数据要素市场建设的通知》，要求各地在2025年底前完成试点。"
KILL_ALWAYS = "【终止工作进程】"
KILL_ONCE = "【工作进程被外部终止一次】"


@register_text_stage("test_worker_killer", default_config={"once_dir": ""})
class WorkerKiller(TextStage):
    """Fault injection: kills the worker process it runs in (never the parent) for marked texts.
    ``KILL_ONCE`` texts kill only their first attempt (as the OOM killer would hit a random worker)."""

    parent = os.getpid()

    def __call__(self, state):
        if os.getpid() == self.parent:
            return
        if KILL_ALWAYS in state.text:
            os.kill(os.getpid(), signal.SIGKILL)
        if KILL_ONCE in state.text:
            flag = Path(self.config["once_dir"]) / f"killed-{state.doc_id}"
            if not flag.exists():
                flag.touch()
                os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture(scope="module")
def light_nlp():
    return policytext.load(disable=["entities", "themes"])


def _records(capsys, args):
    code = main(args)
    out = capsys.readouterr()
    return code, [json.loads(line) for line in out.out.splitlines()], out.err


def _jsonl(tmp_path, name, content: str) -> Path:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    return p


@pytest.mark.parametrize("bad_line, reason", [
    ('{"text": "你好", "n": ' + "1" * 5000 + "}", "digits"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"text": ' + "[" * 100_000, "nested too deeply|not valid JSON"),
])
def test_unreadable_jsonl_line_is_one_error_record_and_the_rest_is_written(tmp_path, capsys, bad_line, reason):
    path = _jsonl(tmp_path, "in.jsonl", json.dumps({"text": GOOD}) + "\n" + bad_line + "\n"
                  + json.dumps({"text": "第二份文件。"}) + "\n")
    code, recs, _ = _records(capsys, ["tag", str(path), "--disable", "entities,themes"])
    assert code == 1
    assert [r["error"] is None for r in recs] == [True, False, True]
    assert code_of(recs[1]["error"]) == "E004"
    assert reason.split("|")[0] in recs[1]["error"] or reason.split("|")[-1] in recs[1]["error"]


def test_deeply_nested_or_huge_integer_json_file_is_one_error_record(tmp_path, capsys):
    (tmp_path / "a.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "b.json").write_text('{"text": "你好", "n": ' + "9" * 5000 + "}", encoding="utf-8")
    (tmp_path / "c.txt").write_text(GOOD, encoding="utf-8")
    code, recs, _ = _records(capsys, ["tag", str(tmp_path), "--disable", "entities,themes"])
    assert code == 1
    assert [(Path(r["source"]).name, r["error"] is None) for r in recs] == [("a.json", False), ("b.json", False),
                                                                           ("c.txt", True)]


def test_json_lines_split_on_newline_only(tmp_path):
    texts = ["第一段\u2028第二段", "甲\u2029乙", "丙\x85丁", "戊\x0b己\x0c庚\x1c辛"]
    path = _jsonl(tmp_path, "in.jsonl", "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts))
    docs = list(iter_inputs([str(path)]))
    assert [d.error for d in docs] == [None] * 4
    assert [d.data for d in docs] == texts


def test_pipe_with_non_documents_gives_error_records_not_a_type_error(light_nlp):
    results = list(light_nlp.pipe([None, GOOD, 1, b"\xe4\xbd\xa0\xe5\xa5\xbd"]))
    assert [r.error is None for r in results] == [False, True, False, True]
    assert [code_of(r.error) for r in results[::2]] == ["E014", "E014"]
    assert fields_of(results[0].error)["type"] == "NoneType" and fields_of(results[2].error)["type"] == "int"
    recs = list(light_nlp.pipe_records([None, GOOD, 3.5]))
    assert [code_of(r["error"]) for r in recs] == ["E014", None, "E014"]


def test_killed_worker_retries_its_documents_and_records_the_one_that_kills(tmp_path, light_nlp):
    light_nlp.add_stage("test_worker_killer", config={"once_dir": str(tmp_path)}, first=True)
    try:
        docs = [f"{GOOD}第{i}份。" for i in range(40)]
        docs[7] = KILL_ONCE + docs[7]
        docs[23] = KILL_ALWAYS + docs[23]
        recs = list(light_nlp.pipe_records(docs, batch_size=2, n_process=2))
    finally:
        light_nlp.remove_stage("test_worker_killer")
    assert len(recs) == 40
    assert [i for i, r in enumerate(recs) if r["error"]] == [23]
    assert code_of(recs[23]["error"]) == "E030"
    assert [r["text"] for i, r in enumerate(recs) if i != 23] == [d for i, d in enumerate(docs) if i != 23]


def test_fault_injection_batch_folder(tmp_path, capsys, monkeypatch):
    """Binary, truncated GBK, empty, broken-link, FIFO and worker-killing entries among good files,
    under --workers 2: every good document written, every bad one recorded with its reason."""
    folder = tmp_path / "batch"
    folder.mkdir()
    good = {f"good{i}.txt": f"{GOOD}（第{i}号）" for i in range(6)}
    for name, text in good.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "good_gbk.txt").write_bytes(GOOD.encode("gbk"))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "truncated_gbk.txt").write_bytes(GOOD.encode("gbk")[:-1])
    (folder / "empty.txt").write_bytes(b"")
    os.symlink(folder / "nowhere.txt", folder / "broken_link.txt")
    os.mkfifo(folder / "fifo.txt")
    (folder / "killer.txt").write_text(KILL_ALWAYS + GOOD, encoding="utf-8")
    (folder / "lines.jsonl").write_text(json.dumps({"text": GOOD}) + "\n{bad json\n", encoding="utf-8")

    real_load = policytext.load

    def load_with_killer(*args, **kwargs):
        nlp = real_load(*args, **kwargs)
        nlp.add_stage("test_worker_killer", config={"once_dir": str(tmp_path)}, first=True)
        return nlp

    monkeypatch.setattr(policytext, "load", load_with_killer)
    out = tmp_path / "out.jsonl"
    result: dict[str, int] = {}
    worker = threading.Thread(target=lambda: result.setdefault("code", main(
        ["tag", str(folder), "-o", str(out), "--workers", "2", "--batch-size", "1", "--disable", "entities,themes"])))
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "the batch hung"
    capsys.readouterr()
    assert result["code"] == 1
    recs = {Path(r["source"]).name: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(recs) == set(good) | {"good_gbk.txt", "binary.txt", "truncated_gbk.txt", "empty.txt",
                                     "broken_link.txt", "fifo.txt", "killer.txt", "lines.jsonl:1", "lines.jsonl:2"}
    for name, text in good.items():
        assert recs[name]["error"] is None and recs[name]["text"] == text
    assert recs["good_gbk.txt"]["text"] == GOOD and recs["lines.jsonl:1"]["error"] is None
    assert recs["truncated_gbk.txt"]["error"] is None
    assert {code_of(w) for w in recs["truncated_gbk.txt"]["warnings"]} & {"W012", "W013"}
    assert recs["empty.txt"]["error"] is None and code_of(recs["empty.txt"]["warnings"][0]) == "W001"
    assert code_of(recs["binary.txt"]["error"]) in ("E011", "E012")
    assert code_of(recs["broken_link.txt"]["error"]) == "E009" and "broken symbolic link" in recs["broken_link.txt"]["error"]
    assert code_of(recs["fifo.txt"]["error"]) == "E009" and "FIFO" in recs["fifo.txt"]["error"]
    assert code_of(recs["killer.txt"]["error"]) == "E030"
    assert code_of(recs["lines.jsonl:2"]["error"]) == "E004"
