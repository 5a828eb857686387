"""The ``policytext`` command line: inputs in every encoding, formats, stdin, exit codes and
error isolation (one bad document never stops the batch)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from policytext.cli import main
from policytext.errors import code_of
from policytext.schema import validate_record

SIMPLIFIED = "国家数据局局长刘烈宏在会上表示，截至今年6月底，我国已经建设高质量数据集超过3.5万个。\n"
THIS = str(Path(__file__))
TRADITIONAL = "國家數據局局長劉烈宏在會上表示,截至今年6月底,我國已經建設高質量數據集超過3.5萬個。\n"


def run_cli(args, capsys, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def mixed_dir(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "simp_utf8.txt").write_bytes(SIMPLIFIED.encode("utf-8"))
    (d / "simp_bom.txt").write_bytes(SIMPLIFIED.encode("utf-8-sig"))
    (d / "simp_gb18030.txt").write_bytes(SIMPLIFIED.encode("gb18030"))
    (d / "sub" / "simp_utf16.txt").write_bytes(SIMPLIFIED.encode("utf-16"))
    (d / "trad_big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (d / "trad_utf8.txt").write_bytes(TRADITIONAL.encode("utf-8"))
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.bin").write_bytes(bytes(range(256)) * 20)
    return d


def test_directory_of_mixed_encodings(mixed_dir, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    code, _, err = run_cli(["tag", str(mixed_dir), "-o", str(out)], capsys)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_name = {Path(r["source"]).name: r for r in records}
    assert len(records) == 8 and code == 1  # the binary file failed, nothing else did
    assert "1 failed" in err
    assert code_of(by_name["binary.bin"]["error"]) == "E010"
    assert by_name["empty.txt"]["error"] is None and by_name["empty.txt"]["text"] == ""
    simp = {by_name[n]["text"] for n in ("simp_utf8.txt", "simp_bom.txt", "simp_gb18030.txt", "simp_utf16.txt")}
    trad = {by_name[n]["text"] for n in ("trad_big5.txt", "trad_utf8.txt")}
    assert len(simp) == 1 and len(trad) == 1 and simp.pop().startswith("国家数据局")
    assert by_name["simp_utf8.txt"]["id"] == by_name["simp_gb18030.txt"]["id"]
    for r in records:
        validate_record(r)


def test_jsonl_input_with_html_ids_dates_and_a_bad_line(tmp_path, capsys):
    src = tmp_path / "docs.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "a", "text": SIMPLIFIED, "date": "2025-08-14", "source": "gov"}, ensure_ascii=False),
        json.dumps({"id": "b", "html": "<div><p>数据要素&amp;市场</p></div>"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "c", "body": "no text field"}),
    ]), encoding="utf-8")
    code, out, _ = run_cli(["tag", str(src)], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and [r["id"] for r in records][:2] == ["a", "b"]
    assert records[0]["date"] == "2025-08-14" and records[0]["source"] == "gov"
    assert records[1]["text"] == "数据要素&市场"
    assert code_of(records[2]["error"]) == "E004" and records[2]["source"].endswith(":3")
    assert code_of(records[3]["error"]) == "E002"


def test_jsonl_text_with_surrogate_escapes_is_tagged_not_failed(tmp_path, capsys):
    # JSON allows "\\ud800" (half of a UTF-16 pair): it cannot be written as UTF-8 text
    src = tmp_path / "docs.jsonl"
    src.write_text('{"id": "s", "text": "\\ud800\\u56fd\\u5bb6\\u6570\\u636e\\u5c40\\ud83d\\ude00"}\n', encoding="utf-8")
    code, out, _ = run_cli(["tag", str(src)], capsys)
    record = json.loads(out)
    assert code == 0 and record["error"] is None
    assert record["text"] == "\ufffd国家数据局😀"
    assert any(code_of(w) == "W004" and "1 lone" in w for w in record["warnings"])  # json joins the escaped pair itself
    validate_record(record)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_outputs(mixed_dir, tmp_path, capsys, fmt):
    out = tmp_path / f"out.{fmt}"
    code, _, _ = run_cli(["tag", str(mixed_dir), "-o", str(out)], capsys)
    frame = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
    assert code == 1 and len(frame) == 8
    row = frame[frame["source"].str.endswith("simp_utf8.txt")].iloc[0]
    entities = json.loads(row["entities"]) if fmt == "csv" else list(row["entities"])  # parquet: list<struct>
    assert row["text"].startswith("国家数据局") and entities and entities[0]["label"]


def test_standard_input_text_and_jsonl(capsys, monkeypatch):
    code, out, _ = run_cli(["tag", "-"], capsys, stdin=TRADITIONAL.encode("big5"), monkeypatch=monkeypatch)
    assert code == 0 and json.loads(out)["source"] == "<stdin>"
    lines = "\n".join(json.dumps({"id": str(i), "text": SIMPLIFIED}, ensure_ascii=False) for i in range(3))
    code, out, _ = run_cli(["tag", "-"], capsys, stdin=lines.encode("utf-8"), monkeypatch=monkeypatch)
    assert code == 0 and [json.loads(x)["id"] for x in out.splitlines()] == ["0", "1", "2"]


@pytest.mark.parametrize("args,message", [
    (["tag", "does/not/exist.txt"], "error: [E208] "),
    (["tag", THIS, "--format", "parquet"], "error: [E203] "),
    (["tag", THIS, "--workers", "0"], "error: [E211] "),
    (["tag", THIS, "--disable", "spellcheck"], "error: [E101] "),
    (["tag"], "required"),  # argparse's own messages carry no code
    (["tag", THIS, "--format", "xml"], "invalid choice"),
])
def test_usage_errors_exit_2_with_a_message(args, message, capsys):
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and message in err


def test_workers_give_the_same_records(mixed_dir, tmp_path, capsys):
    serial, parallel = tmp_path / "s.jsonl", tmp_path / "p.jsonl"
    run_cli(["tag", str(mixed_dir), "-o", str(serial)], capsys)
    run_cli(["tag", str(mixed_dir), "-o", str(parallel), "--workers", "2", "--batch-size", "1"], capsys)
    assert serial.read_text(encoding="utf-8") == parallel.read_text(encoding="utf-8")


def test_info_lists_stages_and_models(capsys):
    code, out, _ = run_cli(["info", "--json"], capsys)
    info = json.loads(out)
    assert code == 0 and info["stages"][0]["name"] == "html" and "version" in info


def test_entry_point_reads_stdin_in_a_real_process():
    proc = subprocess.run([sys.executable, "-m", "policytext", "tag", "-", "--disable", "themes"],
                          input=SIMPLIFIED.encode("gb18030"), capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    record = json.loads(proc.stdout)
    assert record["text"].startswith("国家数据局") and any(code_of(w) == "W010" and "gb18030" in w for w in record["warnings"])


def test_dedup_corpus_marks_clusters_and_canonicals(tmp_path, capsys):
    release = ("国家数据局举行新闻发布会，介绍数据要素市场化配置改革进展。截至今年6月底，全国已建设高质量数据集超过3.5万个。"
               "各地高质量数据集累计交易额近40亿元。下一步将加快建设可信数据空间。")
    (tmp_path / "a.txt").write_text(release, encoding="utf-8")
    (tmp_path / "b.txt").write_text("【转载】" + release + "\n责任编辑：张三", encoding="utf-8")
    (tmp_path / "c.txt").write_text("今年上半年全市新建5G基站1.8万个，累计达到9.6万个。数据中心机架规模约为4.5万架。", encoding="utf-8")
    code, out, _ = run_cli(["tag", str(tmp_path), "--dedup-corpus"], capsys)
    records = {Path(r["source"]).name: r for r in map(json.loads, out.splitlines())}
    assert code == 0
    assert records["a.txt"]["cluster"] == records["b.txt"]["cluster"] != records["c.txt"]["cluster"]
    assert records["a.txt"]["canonical"] == records["b.txt"]["canonical"] in {records["a.txt"]["id"], records["b.txt"]["id"]}
    assert records["c.txt"]["canonical"] == records["c.txt"]["id"]


def test_empty_json_inputs_give_one_empty_record_each_not_nothing(tmp_path, capsys):
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    code, out, _ = run_cli(["tag", str(tmp_path / "empty.jsonl"), str(tmp_path / "empty.json")], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [Path(r["source"]).name for r in records] == ["empty.jsonl", "empty.json"]
    assert all(r["error"] is None and [code_of(w) for w in r["warnings"]] == ["W001"] for r in records)


def test_dedup_corpus_does_not_hold_the_records_in_memory():
    """``tag --dedup-corpus`` keeps records in a temporary file while clustering, not in a list:
    once the input is read, no input record is referenced any more; ids repeated by copies of one
    text stay separate inputs."""
    import gc
    import weakref

    from policytext.commands.tag import _with_clusters
    from policytext.corpus_dedup import assign_clusters

    class Rec(dict):  # a dict that a weak reference can point to
        pass

    release = "国家统计局今天发布数据，前三季度国内生产总值同比增长5.2%，比上半年加快0.2个百分点。"
    texts = [release, "【转载】" + release, "今年上半年全市新建5G基站1.8万个，累计达到9.6万个。", release]
    inputs = [Rec(id=f"d{k % 3}", text=t, source=f"s{k}", date=None, error=None) for k, t in enumerate(texts)]
    refs = [weakref.ref(r) for r in inputs]

    class Bar:
        def update(self, n): pass
        def close(self): pass

    out = _with_clusters(iter(inputs), Bar())
    first = next(out)  # the whole input has been read
    del inputs
    gc.collect()
    assert all(ref() is None for ref in refs)
    records = [first, *out]
    expected = assign_clusters([{**r, "id": str(k)} for k, r in enumerate(
        dict(id=f"d{k % 3}", text=t, source=f"s{k}") for k, t in enumerate(texts))])
    assert [r["cluster"] for r in records] == [expected[str(k)][0] for k in range(4)]
    assert records[0]["cluster"] == records[1]["cluster"] == records[3]["cluster"] != records[2]["cluster"]
    assert records[1]["canonical"] in {"d0", "d1"} and records[2]["canonical"] == "d2"
    assert [r["source"] for r in records] == ["s0", "s1", "s2", "s3"]
