"""The published list of edit kinds (policytext.edit_kinds): complete on real and damaged text,
documented, and named after the settings that switch them (ftfy's rule)."""

from __future__ import annotations

from pathlib import Path

import pytest

import policytext
from policytext.edit_kinds import EDIT_KINDS, markdown
from policytext.stages.base import text_stage_factories

ROOT = Path(__file__).resolve().parents[1]

# Damage of every kind the text stages undo, as the fixtures of the stage tests build it.
FRAGMENTS = [
    "<html><head><title>t</title><style>p{}</style></head><body><p>国家数据局&nbsp;发布</p>"
    "<script>var a=1;</script><p>数据要素</p></body></html>",
    "国家数据局<b>发布</b>了&amp;amp;nbsp;通知<!-- c -->。![图片](a.png)\n数据﹐要素﹔市场﹒",
    "数据要素市场建设取得进展。" + "數據要素市場".encode("utf-8").decode("cp1252", errors="ignore") + "\n",
    "国家数据局发布数据要素统计报告，全国数据产业规模持续增长。\n"
    + "国家数据局发布数据要素统计报告，全国数据产业规模持续增长。".encode("utf-8").decode("gbk", errors="replace"),
    "數(shù)據(jù)要素市場建設取得積極進展。",
    "首页 > 新闻中心 > 正文\n国家数据局召开新闻发布会，介绍数据要素市场建设情况。\n分享到：微信 微博 QQ空间\n"
    "【责任编辑：王小明】\n上一篇：关于开展数据要素试点的通知\n版权所有 © 2024 国家数据局 京ICP备12345678号\n"
    "var _hmt = _hmt || [];\n• 索引号:\n",
    "\u200b国家数据局　发布ＡＢＣ１２３数据、、、要素,市场!\n\n\n隨著数据要素市场发挥著作用。\n",
]
REPEATED = ("第一段：国家数据局召开新闻发布会，介绍数据要素市场建设情况和下一步工作安排。\n"
            "第二段：截至今年6月底，我国已经建设高质量数据集超过3.5万个，总量超过400PB。\n")


def _kinds(records: list[dict]) -> set[str]:
    return {item["kind"] for rec in records for field in ("edits", "removed") for item in rec[field]}


@pytest.fixture(scope="module")
def text_stages():
    return policytext.load(stages=["html", "repair", "normalize", "dedup"],
                           config={"normalize": {"extra_fixes": {"发布会": "新闻发布会"}}})


def test_every_kind_emitted_on_samples_and_fixtures_is_published(text_stages, shared_samples):
    paths = sorted((ROOT / "corpora" / "samples").iterdir()) + sorted(shared_samples.glob("*.txt"))
    from policytext.inputs import iter_inputs

    records = list(text_stages.pipe_records(iter_inputs([str(p) for p in paths])))
    records += list(text_stages.pipe_records(FRAGMENTS + [REPEATED * 2]))
    marked = policytext.load(stages=["dedup"], config={"dedup": {"mode": "mark"}})
    records += [marked(REPEATED * 2).to_dict()]
    emitted = _kinds(records)
    assert emitted - set(EDIT_KINDS) == set(), "add these kinds to policytext/edit_kinds.py"
    # the fixtures reach most of the list (a kind nobody can trigger would be a stale entry)
    assert len(emitted) >= 0.6 * len(EDIT_KINDS), sorted(set(EDIT_KINDS) - emitted)
    for kind in ("t2s", "html_tag", "mojibake_whole_text", "pinyin_injected", "breadcrumb", "duplicate_section",
                 "user_fix", "small_form_punct"):
        assert kind in emitted


def test_each_kind_names_a_setting_of_its_stage():
    factories = text_stage_factories()
    for kind, k in EDIT_KINDS.items():
        for stage, setting in zip(k.stage.split(", "), k.setting.split(", "), strict=True):
            assert setting in factories[stage], (kind, stage, setting)


def test_docs_list_every_kind_and_are_up_to_date():
    doc = (ROOT / "docs" / "edit-kinds.md").read_text(encoding="utf-8")
    assert doc == markdown(), "regenerate: python -m policytext.edit_kinds > docs/edit-kinds.md"
    assert all(f"| `{kind}` |" in doc for kind in EDIT_KINDS)


def test_repair_setting_renamed_after_its_function_keeps_the_old_name():
    damaged = "国家数据局发布数据要素统计报告，全国数据产业规模持续增长。".encode("utf-8").decode("gbk", errors="replace")
    for config in ({"whole_text_mojibake": False}, {"cjk_mojibake": False}):
        nlp = policytext.load(stages=["repair"], config={"repair": config})
        assert nlp.get_stage("repair").config["whole_text_mojibake"] is False
        assert "mojibake_whole_text" not in _kinds([nlp(damaged).to_dict()])
    nlp = policytext.load(stages=["repair"])
    assert "mojibake_whole_text" in _kinds([nlp(damaged).to_dict()])
    nlp.configure("repair", cjk_mojibake=False)
    assert nlp.get_stage("repair").config["whole_text_mojibake"] is False
