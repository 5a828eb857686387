"""Corpus outputs: Parquet row groups with list<struct> columns, CSV BOM, --resume after kill -9
(JSON Lines and Parquet: 0 lost, 0 duplicated), torn last lines, one shared reader/writer for
claims and dedup, --shard, --set/--pipeline/--user-dict."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from policytext.cli import main
from policytext.errors import code_of
from policytext.output import RecordWriter, read_done_keys

ROOT = Path(__file__).parents[1]
FAST = ["--disable", "entities,themes,dedup"]
LINES = ["国家统计局发布数据，一季度国内生产总值同比增长5.3%。", "财政部公布，1至4月全国一般公共预算收入8.1万亿元。",
         "海关总署数据显示，前4个月我国货物贸易进出口总值13.81万亿元。", "国家能源局表示，截至4月底全国累计发电装机容量约30.1亿千瓦。"]


def _run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _corpus(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"doc": f"d{i:04d}", "body": f"第{i}号通报。" + LINES[i % len(LINES)]},
                                ensure_ascii=False) + "\n")
    return path


def test_parquet_nested_fields_are_list_of_struct(tmp_path, capsys):
    src = _corpus(tmp_path / "in.jsonl", 5)
    out = tmp_path / "out.parquet"
    code, _, _ = _run(["tag", str(src), "--text-field", "body", "--id-field", "doc", "-o", str(out),
                       "--row-group-size", "2", "--keep", "doc", *FAST], capsys)
    assert code == 0 and not (tmp_path / "out.parquet.parts").exists()
    pf = pq.ParquetFile(out)
    assert pf.num_row_groups == 3 and pf.metadata.num_rows == 5
    schema = pf.schema_arrow
    assert str(schema.field("claims").type).startswith("list<element: struct<start: int64")
    assert str(schema.field("sentences").type) == "list<element: struct<start: int64, end: int64, type: string>>"
    assert pa.types.is_map(schema.field("themes").type) and schema.field("themes").type.item_type == pa.float64()
    frame = pd.read_parquet(out)
    claims = frame.loc[0, "claims"]
    assert frame.loc[0, "id"] == "d0000" and claims[0]["unit"] == "%" and claims[0]["value"] == pytest.approx(5.3)
    assert json.loads(frame.loc[0, "meta"]) == {"doc": "d0000"}


def test_csv_bom_and_claims_formats_follow_the_suffix(tmp_path, capsys):
    src = _corpus(tmp_path / "in.jsonl", 3)
    common = [str(src), "--text-field", "body", "--id-field", "doc"]
    code, _, _ = _run(["tag", *common, "-o", str(tmp_path / "t.csv"), "--bom", *FAST], capsys)
    assert code == 0 and (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbfschema_version,")
    code, _, _ = _run(["claims", *common, "-o", str(tmp_path / "c.csv")], capsys)
    frame = pd.read_csv(tmp_path / "c.csv")
    assert code == 0 and list(frame.columns[:3]) == ["doc_id", "source", "doc_date"] and len(frame) >= 3
    code, _, _ = _run(["claims", *common, "-o", str(tmp_path / "c.parquet")], capsys)
    table = pq.read_table(tmp_path / "c.parquet")
    assert code == 0 and table.column("id").to_pylist() == ["d0000", "d0001", "d0002"]
    assert table.schema.field("claims").type.value_type.field("value").type == "double"


def test_claims_raw_survives_bad_lines_and_reads_gbk(tmp_path, capsys):
    (tmp_path / "bad.jsonl").write_text(json.dumps({"text": LINES[0]}, ensure_ascii=False) + "\n{oops\n", encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(LINES[1].encode("gbk"))
    code, out, err = _run(["claims", "--raw", str(tmp_path / "bad.jsonl"), str(tmp_path / "gbk.txt")], capsys)
    recs = [json.loads(x) for x in out.splitlines()]
    assert code == 1 and len(recs) == 3 and code_of(recs[1]["error"]) == "E004"
    gbk = recs[2]
    assert gbk["error"] is None and any(c["value"] == pytest.approx(8.1e12) for c in gbk["claims"])


def test_dedup_shares_reader_and_writer(tmp_path, capsys):
    rows = [{"doc": "a", "body": "".join(LINES)}, {"doc": "b", "body": "".join(LINES)}, {"doc": "c", "body": "无关的短文。"}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    code, _, _ = _run(["dedup", str(src), "--text-field", "body", "--id-field", "doc", "--light",
                       "-o", str(tmp_path / "d.parquet")], capsys)
    frame = pd.read_parquet(tmp_path / "d.parquet")
    assert code == 0 and list(frame["id"]) == ["a", "b", "c"]
    assert frame.loc[0, "cluster"] == frame.loc[1, "cluster"] != frame.loc[2, "cluster"]
    assert frame.loc[0, "reuse"][0]["other"] == "b"


def test_shard_splits_the_corpus_without_overlap(tmp_path, capsys):
    src = _corpus(tmp_path / "in.jsonl", 7)
    ids = []
    for i in range(3):
        code, out, _ = _run(["tag", str(src), "--text-field", "body", "--id-field", "doc", "--shard", f"{i}/3",
                             "--disable", "entities,themes,dedup,claims,sentences"], capsys)
        ids.append([json.loads(x)["id"] for x in out.splitlines()])
    assert ids[0] == ["d0000", "d0003", "d0006"] and sorted(sum(ids, [])) == [f"d{i:04d}" for i in range(7)]
    assert main(["tag", str(src), "--shard", "3/3"]) == 2


def test_torn_last_line_is_cut_and_resume_skips_written_ids(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "d0000", "text": "x"}\n{"id": "d0001", "te', encoding="utf-8")
    assert read_done_keys(out, "jsonl") == {"id:d0000"}
    assert out.read_text(encoding="utf-8") == '{"id": "d0000", "text": "x"}\n'
    src = _corpus(tmp_path / "in.jsonl", 3)
    code, _, err = _run(["tag", str(src), "--text-field", "body", "--id-field", "doc", "-o", str(out), "--resume",
                         *FAST], capsys)
    ids = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert code == 0 and ids == ["d0000", "d0001", "d0002"] and "1 already there" in err
    assert main(["tag", str(src), "--resume", "-o", str(tmp_path / "x.csv")]) == 2  # CSV cannot be resumed


def _kill_and_resume(tmp_path: Path, out: Path, extra: list[str]) -> list[str]:
    n = 120
    src = _corpus(tmp_path / "in.jsonl", n)
    cmd = [sys.executable, "-m", "policytext", "tag", str(src), "--text-field", "body", "--id-field", "doc",
           "-o", str(out), "--disable", "entities,themes,dedup", *extra]
    proc = subprocess.Popen(cmd, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = out.with_name(out.name + ".parts")
    deadline = time.time() + 240
    try:
        while time.time() < deadline and proc.poll() is None:
            done = (len(list(parts.glob("*.parquet"))) >= 2 if parts.exists() else False) if out.suffix == ".parquet" \
                else (out.exists() and out.read_bytes().count(b"\n") >= 10)
            if done:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be killed; make the corpus larger"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    resumed = subprocess.run(cmd + ["--resume"], cwd=str(ROOT), capture_output=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr.decode()[-2000:]
    assert b"already there" in resumed.stderr
    return [f"d{i:04d}" for i in range(n)]


def test_kill_9_then_resume_jsonl_loses_and_repeats_nothing(tmp_path):
    out = tmp_path / "out.jsonl"
    expected = _kill_and_resume(tmp_path, out, [])
    ids = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == expected and len(ids) == len(set(ids))


def test_kill_9_then_resume_parquet_loses_and_repeats_nothing(tmp_path):
    out = tmp_path / "out.parquet"
    expected = _kill_and_resume(tmp_path, out, ["--row-group-size", "5"])
    ids = pq.read_table(out, columns=["id"]).column("id").to_pylist()
    assert sorted(ids) == expected and len(ids) == len(set(ids))
    assert not out.with_name("out.parquet.parts").exists()


def test_set_pipeline_and_user_dict(tmp_path, capsys):
    import policytext

    src = tmp_path / "a.txt"
    src.write_text("国家数据局局长刘烈宏在会上表示，数据产业规模持续增长。", encoding="utf-8")
    code, out, _ = _run(["tag", str(src), "--set", "entities.backend=none", "--disable", "themes,claims"], capsys)
    assert code == 0 and json.loads(out)["error"] is None
    assert main(["tag", str(src), "--set", "entities"]) == 2
    assert main(["tag", str(src), "--set", "nosuchstage.x=1"]) == 2
    saved = tmp_path / "pipe"
    policytext.load(stages=["html", "normalize", "sentences"]).to_disk(saved)
    code, out, _ = _run(["tag", str(src), "--pipeline", str(saved), "--set", "normalize.script=\"none\""], capsys)
    rec = json.loads(out)
    assert code == 0 and rec["entities"] == [] and rec["claims"] == [] and rec["sentences"]
    words = tmp_path / "words.tsv"
    words.write_text("数据产业\tPROGRAM\n", encoding="utf-8")
    code, out, _ = _run(["tag", str(src), "--user-dict", str(words), "--set", "entities.backend=none",
                         "--disable", "themes,claims"], capsys)
    entities = json.loads(out)["entities"]
    assert code == 0 and any(e["text"] == "数据产业" and e["label"] == "PROGRAM" for e in entities)
    assert main(["tag", str(src), "--user-dict", str(tmp_path / "missing.tsv")]) == 2


def test_record_writer_parquet_keeps_unknown_keys_said(tmp_path):
    out = tmp_path / "w.parquet"
    with RecordWriter("parquet", str(out)) as w:
        w.write({"id": "x", "warnings": [], "claims": [{"start": 0, "end": 1, "text": "a", "value": 1.0, "odd": 2}]})
    rec = pq.read_table(out).to_pylist()[0]
    assert any(code_of(x) == "W601" and "claims.odd" in x for x in rec["warnings"])  # dropped by the column type, and said so


def test_info_lists_default_settings_without_building_the_pipeline(monkeypatch, capsys):
    import policytext
    import policytext.pipeline

    def no_load(*args, **kwargs):
        raise AssertionError("info built the pipeline")

    monkeypatch.setattr(policytext, "load", no_load)
    monkeypatch.setattr(policytext.pipeline, "load", no_load)
    code, out, _ = _run(["info", "--json"], capsys)
    info = json.loads(out)
    stages = {s["name"]: s for s in info["stages"]}
    assert code == 0 and info["settings"] == "defaults"
    assert stages["entities"]["config"]["backend"] == "fast" and stages["normalize"]["config"]["script"] == "t2s"
