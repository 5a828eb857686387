"""Corpus inputs: field options for JSON Lines, CSV and Parquet, --keep/meta, --include/--exclude,
unknown file types, streamed JSON Lines and standard input (GBK/Big5 lines), pipe(as_tuples=True)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from policytext.cli import main
from policytext.errors import code_of
from policytext.inputs import Fields, iter_inputs
from policytext.schema import validate_record

# fragments in the style of the corpora under ../shared/data (CCTV items, laws, work reports)
CCTV = {"url": "https://tv.cctv.com/2024/01/01/VIDEa240101.shtml", "pub_date": "2024-01-01 19:30:00",
        "source": "央视网", "title": "[视频]国家数据局发布数据要素行动计划", "tags": ["中国经济"], "num": 3,
        "content_html": "<p>央视网消息（新闻联播）：国家数据局12月31日发布行动计划，提出到2026年底数据产业规模年均增速超过20%。</p>"}
LAW = {"category": "行政法规", "subcategory": None, "title": "不动产登记暂行条例", "version_date": "2019-03-24",
       "path": "行政法规/不动产登记暂行条例(2019-03-24).md",
       "text_markdown": "# 不动产登记暂行条例\n\n## 第一章 总则\n\n第一条 为整合不动产登记职责，规范登记行为，制定本条例。"}
REPORT = {"title": "2019年国务院政府工作报告", "url": "https://zh.wikisource.org/wiki/2019", "year": "2019",
          "content": "各位代表：\n现在，我代表国务院，向大会报告政府工作。国内生产总值增长6.6%，总量突破90万亿元。"}
FAST = ["--disable", "entities,themes,dedup"]


def _run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _jsonl(path: Path, rows, encoding="utf-8") -> Path:
    path.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode(encoding))
    return path


def test_cctv_items_tag_with_field_options_and_keep(tmp_path, capsys):
    src = _jsonl(tmp_path / "xwlb.jsonl", [CCTV])
    code, out, _ = _run(["tag", str(src), "--html-field", "content_html", "--id-field", "url", "--date-field",
                         "pub_date", "--source-field", "source", "--keep", "title,tags,num", *FAST], capsys)
    rec = json.loads(out)
    assert code == 0 and rec["error"] is None
    assert rec["id"] == CCTV["url"] and rec["date"] == "2024-01-01" and rec["source"] == "央视网"
    assert "<p>" not in rec["text"] and rec["text"].startswith("央视网消息")
    assert rec["meta"] == {"title": CCTV["title"], "tags": ["中国经济"], "num": 3}
    validate_record(rec)


def test_default_fields_name_the_missing_text_field(tmp_path, capsys):
    src = _jsonl(tmp_path / "laws.jsonl", [LAW])
    code, out, _ = _run(["tag", str(src), *FAST], capsys)
    rec = json.loads(out)
    assert code == 1 and code_of(rec["error"]) == "E002" and "text_markdown" in rec["error"]


def test_laws_csv_and_reports_parquet_are_inputs(tmp_path, capsys):
    import csv

    with open(tmp_path / "laws.csv", "w", encoding="gbk", newline="") as fh:  # a GBK CSV from a spreadsheet
        w = csv.DictWriter(fh, fieldnames=list(LAW))
        w.writeheader()
        w.writerow(LAW)
    pq.write_table(pa.Table.from_pylist([REPORT, {**REPORT, "url": "u2", "content": "第二份报告。"}]),
                   tmp_path / "reports.parquet")
    docs = list(iter_inputs([str(tmp_path / "laws.csv")],
                            fields=Fields(text="text_markdown", id="path", date="version_date", keep=("title",))))
    assert len(docs) == 1 and docs[0].data == LAW["text_markdown"] and docs[0].id == LAW["path"]
    assert docs[0].date == "2019-03-24" and docs[0].keep == {"title": "不动产登记暂行条例"}
    docs = list(iter_inputs([str(tmp_path / "reports.parquet")], fields=Fields(text="content", id="url", keep=("all",))))
    assert [d.id for d in docs] == [REPORT["url"], "u2"] and docs[1].data == "第二份报告。"
    assert docs[0].keep == {"title": REPORT["title"], "url": REPORT["url"], "year": "2019"}
    code, out, _ = _run(["tag", str(tmp_path / "reports.parquet"), "--text-field", "content", "--id-field", "url",
                         "--keep", "title,year", *FAST], capsys)
    recs = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [r["meta"]["year"] for r in recs] == ["2019", "2019"]


def test_include_exclude_and_unknown_types(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    _jsonl(tmp_path / "a" / "one.jsonl", [{"text": "第一条 为了规范管理，制定本规定。"}])
    (tmp_path / "a" / "notes.txt").write_text("国务院常务会议研究部署。", encoding="utf-8")
    (tmp_path / "a" / "scan.pdf").write_bytes(b"%PDF-1.4 ...")
    docs = list(iter_inputs([str(tmp_path)]))
    by = {Path(d.source.split(":")[0]).name: d for d in docs}
    assert set(by) == {"one.jsonl", "notes.txt", "scan.pdf"}
    assert code_of(by["scan.pdf"].error) == "E010" and "'.pdf'" in by["scan.pdf"].error  # recorded, not guessed
    assert [Path(d.source).name for d in iter_inputs([str(tmp_path)], include=["*.txt"])] == ["notes.txt"]
    names = {Path(d.source.split(":")[0]).name for d in iter_inputs([str(tmp_path)], exclude=["*.pdf", "a/notes.*"])}
    assert names == {"one.jsonl"}
    code, out, _ = _run(["tag", str(tmp_path), "--include", "*.jsonl", *FAST], capsys)
    assert code == 0 and len(out.splitlines()) == 1


def test_gbk_and_big5_json_lines_on_stdin_are_decoded(capsys, monkeypatch):
    rows = [{"id": "g", "text": "国务院办公厅印发通知，要求加快建设全国统一大市场。"}]
    for enc in ("gbk", "big5"):
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        if enc == "big5":
            data = data.replace("国务院办公厅印发通知，要求加快建设全国统一大市场", "國務院辦公廳印發通知，要求加快建設全國統一大市場")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode(enc)), encoding="utf-8"))
        code, out, _ = _run(["tag", "-", *FAST], capsys)
        rec = json.loads(out)
        assert code == 0 and rec["id"] == "g" and rec["text"].startswith("国务院办公厅印发通知"), enc


def test_json_lines_are_read_one_line_at_a_time():
    class Feed(io.RawIOBase):
        """A stream that fails if read past the second line before the first document is taken."""

        def __init__(self):
            self.lines = [json.dumps({"id": str(i), "text": "国家统计局发布数据。"}).encode() + b"\n" for i in range(3)]
            self.served = 0

        def readable(self):
            return True

        def readline(self, size=-1):
            if self.served >= len(self.lines):
                return b""
            self.served += 1
            return self.lines[self.served - 1]

        def read(self, size=-1):
            raise AssertionError("standard input was read whole")

    feed = Feed()
    docs = iter_inputs(["-"], stdin=feed)
    first = next(docs)
    assert first.id == "0" and feed.served <= 2
    assert [d.id for d in docs] == ["1", "2"]


def test_first_record_comes_out_before_stdin_ends(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "policytext", "tag", "-", *FAST], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=str(Path(__file__).parents[1]))
    try:
        proc.stdin.write((json.dumps({"id": "first", "text": "财政部公布一季度财政收支情况。"}) + "\n").encode())
        proc.stdin.flush()
        line = proc.stdout.readline()  # the input is still open: the record must come out now
        assert json.loads(line)["id"] == "first"
        proc.stdin.write((json.dumps({"id": "second", "text": "海关总署发布进出口数据。"}) + "\n").encode())
        proc.stdin.close()
        assert json.loads(proc.stdout.readline())["id"] == "second"
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_pipe_as_tuples_passes_the_context_through():
    import policytext

    nlp = policytext.load(stages=["sentences"])
    pairs = [("国务院常务会议召开。", {"row": 1}), ("财政部发布通知。", {"row": 2})]
    out = list(nlp.pipe(pairs, as_tuples=True))
    assert [ctx for _, ctx in out] == [{"row": 1}, {"row": 2}]
    assert out[1][0].text == "财政部发布通知。"
    recs = list(nlp.pipe_records(iter(pairs), as_tuples=True))
    assert [r["text"] for r, _ in recs] == ["国务院常务会议召开。", "财政部发布通知。"]
