"""Tests of the ``dedup`` text stage (repeated paragraph runs inside one document)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from policytext.stages.base import create_text_stage, text_stage_factories
from policytext.stages.dedup import DedupStage, find_duplicate_sections, match_key, minhash_of
from policytext.state import TextState
from policytext.errors import code_of

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"

P1 = "国家数据局局长刘烈宏在会上表示，作为人工智能发展的三大核心要素之一，数据在推动“人工智能+”过程中发挥着关键作用，特别是高质量数据集的建设至关重要。"
P2 = "刘烈宏介绍，截至今年6月底，我国已经建设高质量数据集超过3.5万个，总体量超过了400PB，已布局了成都、沈阳、合肥等7个数据标注基地。"
P3 = "“十四五”时期，我国牢牢把握数字化、网络化、智能化发展机遇，全面深化数据要素市场化配置改革，加快数字化绿色化协同转型发展，推动数字中国建设取得显著成就。"
P4 = "截至2025年6月底，5G基站总数与2020年相比增长了5倍达到455万个，千兆宽带用户增长了34倍达2.26亿户，算力总规模位于全球第二，有力带动了经济社会发展。"
P5 = "下一步，国家数据局将加快推进数据基础设施建设，适度超前部署，繁荣产业生态，促进产业技术创新与融合，为激活数据要素价值、赋能实体经济提供支撑。"
UNIQUE = "与此同时，浙江坚持一张蓝图绘到底，作为数字经济创新发展试验区，持续深化“数字浙江”建设，大力推进数据要素市场化配置改革试点。"


def run(text: str, **config) -> TextState:
    st = TextState(raw=text)
    DedupStage(**config)(st)
    return st


def noisy(text: str) -> str:
    """The punctuation noise scraped pages carry: doubled and ASCII marks, stray spaces."""
    return (text.replace("，", ",,,").replace("。", "。。").replace("、", "、、、").replace("“", "\"")
            .replace("”", "\"").replace("：", ":") + "  ")


# ----- sample 001: the same long article twice --------------------------------------------------
@pytest.fixture(scope="module")
def sample001():
    paths = sorted(SAMPLES.glob("001_*.txt"))
    if not paths:
        pytest.skip("../shared/samples not available")
    raw = paths[0].read_text(encoding="utf-8")
    st = TextState(raw=raw)
    DedupStage()(st)
    return raw, st


def test_sample001_second_copy_removed(sample001):
    raw, st = sample001
    assert len(st.removed) == 1
    rec = st.removed[0].to_dict()
    assert rec["stage"] == "dedup" and rec["kind"] == "duplicate_section"
    removed = raw[rec["raw_start"] : rec["raw_end"]]
    # the removal starts at the second copy's table of contents and ends with its last paragraph
    assert removed.startswith("目录\n一、、、数据基础制度")
    assert removed.rstrip().endswith(raw.split("\n")[226])
    assert len(st.text) < 0.55 * len(raw)
    # each long paragraph of the article is now there once
    para = "党中央、、国务院高度重视发挥数据要素价值"
    assert raw.count(para) == 2 and st.text.count(para) == 1
    # duplicate_of points at the kept first copy in the final text
    dup = rec["duplicate_of"]
    kept = st.text[dup["start"] : dup["end"]]
    assert kept.startswith("目录\n一、、、数据基础制度")
    assert st.text.count(kept) == 1


def test_sample001_unique_paragraphs_survive(sample001):
    raw, st = sample001
    # the photo caption exists only in the first copy; the closing paragraph only after the second
    assert "2023年9月6日至8日,,,,2023中国国际数字经济博览会在河北石家庄举行" in st.text
    assert "实现绿色低碳高质量发展,,,,把握践行“双碳”战略“落脚点”" in st.text
    for footer in ("转自公众号数据分析小兵", "- 上一个:数据中台与数据治理解决方案", "行业动态"):
        assert footer in st.text


def test_sample001_body_headings_survive(sample001):
    _, st = sample001
    lines = st.text.split("\n")
    # headings recur between the table of contents and the body of the kept copy: both stay
    assert lines.count("一、、、数据基础制度") == 2
    assert lines.count("二、、、、数据基础设施") == 2
    assert lines.count("六、、、加快构建全国一体化算力网 推动建设中国式现代化数字基座") == 2
    assert lines.count("数据赋能数字政府建设") == 1
    assert lines.count("目录") == 1


def test_sample001_page_scraped_three_times(sample001):
    raw, single = sample001
    st = run(raw * 3)
    assert len(st.removed) == 3  # the article's second copy, then each repeated page as one section
    para = "党中央、、国务院高度重视发挥数据要素价值"
    assert st.text.count(para) == 1
    assert st.text.startswith(single.text)


# ----- synthetic documents ------------------------------------------------------------------------
def test_repeated_section_under_punctuation_noise_is_removed():
    text = "\n".join(["标题：数字中国建设发展成就", P1, P2, P3, P4, noisy(P2), noisy(P3), noisy(P4), P5])
    st = run(text)
    assert len(st.removed) == 1
    assert st.text == "\n".join(["标题：数字中国建设发展成就", P1, P2, P3, P4, P5])
    rec = st.removed[0].to_dict()
    assert st.text[rec["duplicate_of"]["start"] : rec["duplicate_of"]["end"]] == "\n".join([P2, P3, P4])
    assert text[rec["raw_start"] : rec["raw_end"]].startswith(noisy(P2))


def test_unique_paragraph_inside_copy_is_kept():
    text = "\n".join([P1, P2, P3, P4, P1, P2, UNIQUE, P3, P4, P5])
    st = run(text)
    assert st.text == "\n".join([P1, P2, P3, P4, UNIQUE, P5])
    assert len(st.removed) == 2
    for r in st.removed:
        assert r.edit.duplicate_of is not None


def test_near_duplicate_copy_is_removed_and_can_be_switched_off():
    edited = [P2.replace("已经建设", "已建设"), P3.replace("显著成就", "显著的成就"), P4.replace("有力带动", "带动")]
    text = "\n".join([P1, P2, P3, P4, P5] + edited)
    st = run(text)
    assert st.text == "\n".join([P1, P2, P3, P4, P5])
    assert 0.8 <= st.removed[0].edit.confidence < 1.0
    assert not run(text, near_duplicates=False).removed
    assert not run(text, jaccard_threshold=0.99).removed


def test_three_copies_point_at_the_first():
    block = [P2, P3, P4]
    text = "\n".join([P1] + block + [P5] + block + [UNIQUE] + block)
    st = run(text)
    assert st.text == "\n".join([P1] + block + [P5, UNIQUE])
    assert len(st.removed) == 2
    spans = {(r.edit.duplicate_of) for r in st.removed}
    assert len(spans) == 1
    (start, end), = spans
    assert st.text[start:end] == "\n".join(block)


def test_table_of_contents_and_body_headings_are_not_removed():
    toc = ["目录", "一、数据基础制度", "二、数据基础设施", "三、加快构建全国一体化算力网 推动建设中国式现代化数字基座"]
    body = ["一、数据基础制度", P1, P2, "二、数据基础设施", P3, P4,
            "三、加快构建全国一体化算力网 推动建设中国式现代化数字基座", P5]
    text = "\n".join(toc + body)
    assert find_duplicate_sections(text) == []
    assert run(text).text == text


def test_datelines_bylines_and_list_markers_recur_safely():
    page = "\n".join([
        "新华社北京8月14日电（记者 张三 李四）", P1, "（一）", P2, "责任编辑：王五",
        "新华社北京8月14日电（记者 张三 李四）", P3, "（一）", P4, "责任编辑：王五",
        "1.", "新华社北京8月14日电（记者 张三 李四）", UNIQUE, "1.",
    ])
    st = run(page)
    assert not st.removed
    assert st.text == page


def test_single_short_repeated_paragraph_is_kept():
    line = "谢谢主持人，下面我来回答这个问题，请大家关注。"
    text = "\n".join([P1, line, P2, line, P3])
    assert run(text).text == text
    # a long single repeat over min_run_chars is removed; raising the threshold keeps it
    text2 = "\n".join([P1 + P2, P3, P4, P1 + P2])
    assert run(text2).text == "\n".join([P1 + P2, P3, P4])
    assert run("\n".join([P1, P3, P4, P1])).text == "\n".join([P1, P3, P4, P1])  # 70 chars < 80
    assert run(text2, min_run_chars=1000).text == text2


def test_mark_mode_keeps_text_and_records_sections():
    text = "\n".join([P1, P2, P3, P1, P2, P3])
    st = run(text, mode="mark")
    assert st.text == text
    assert not st.removed
    marks = st.meta["duplicate_sections"]
    assert len(marks) == 1
    m = marks[0]
    # at the end of the text the section takes the line break before it
    assert text[m["start"] : m["end"]] == "\n" + "\n".join([P1, P2, P3])
    assert text[m["duplicate_of"]["start"] : m["duplicate_of"]["end"]] == "\n".join([P1, P2, P3])
    assert (m["raw_start"], m["raw_end"]) == (m["start"], m["end"])
    assert any(code_of(w) == "W301" for w in st.warnings)


def test_off_mode_and_config_validation():
    text = "\n".join([P1, P2, P1, P2])
    assert run(text, mode="off").text == text
    with pytest.raises(ValueError):
        DedupStage(mode="delete")
    with pytest.raises(ValueError):
        DedupStage(threshold=0.5)
    assert "dedup" in text_stage_factories()
    stage = create_text_stage("dedup", config={"min_run_chars": 50})
    assert stage.config["min_run_chars"] == 50 and stage.config["mode"] == "remove"


def test_raw_offsets_after_an_earlier_stage():
    from policytext.alignment import Edit

    prefix = "<p>广告</p>\n"
    text = prefix + "\n".join([P1, P2, P3, P4, P2, P3, P4])
    st = TextState(raw=text)
    st.apply([Edit(0, len(prefix), "", kind="html_tag")], stage="html")
    DedupStage()(st)
    rec = st.removed[0].to_dict()
    assert text[rec["raw_start"] : rec["raw_end"]] == "\n" + "\n".join([P2, P3, P4])
    assert rec["raw_start"] == len(prefix) + len("\n".join([P1, P2, P3, P4]))
    assert st.text == "\n".join([P1, P2, P3, P4])


def test_empty_and_tiny_texts():
    for text in ("", "\n\n", P1, "一、\n二、\n一、\n二、"):
        st = run(text)
        assert st.text == text and not st.removed


def test_match_key_and_minhash_helpers():
    assert match_key("“十四五”时期,,,数字中国、、、建设！ ") == "十四五时期数字中国建设"
    assert match_key("\ue1a2数据\u200b要素") == "数据要素"
    assert match_key("Token（词元）,,,  2.26亿") == "token词元226亿"
    from datasketch import MinHash

    h = np.arange(1000, 1300, dtype=np.uint32)
    try:
        ref = MinHash(num_perm=32, seed=1, hashfunc=lambda x: x, scheme="affine32")
    except TypeError:
        pytest.skip("datasketch < 2.0 has no MinHash schemes")
    ref.update_batch(h.tolist())
    assert (minhash_of(h, 32).hashvalues == ref.hashvalues).all()


def test_random_documents_never_lose_content():
    """Whatever is removed still exists in the kept text, and duplicate_of stays inside it."""
    import random

    pool = [P1, P2, P3, P4, P5, UNIQUE, "一、总体要求", "（一）", "新华社北京8月14日电", "", "目录", P1[:30], P2 + P3]
    rng = random.Random(7)
    for _ in range(300):
        paras = [rng.choice(pool) for _ in range(rng.randint(0, 20))]
        text = "\n".join(noisy(p) if rng.random() < 0.2 else p for p in paras)
        st = run(text)
        kept = match_key(st.text)
        for r in st.removed:
            for line in r.before.split("\n"):
                assert match_key(line) in kept
            start, end = r.edit.duplicate_of
            assert 0 <= start < end <= len(st.text)


def test_mark_mode_sections_reach_the_record_on_the_final_text():
    import policytext

    text = "\n".join([P1, P2, P3, P1, P2, P3])
    nlp = policytext.load(config={"dedup": {"mode": "mark"}}, disable=["entities", "claims", "themes"])
    rec = nlp(text).to_dict()
    assert rec["text"] == text and not rec["removed"]
    (mark,) = rec["duplicates"]
    assert rec["text"][mark["start"]:mark["end"]] == "\n" + "\n".join([P1, P2, P3])
    assert rec["text"][mark["duplicate_of"]["start"]:mark["duplicate_of"]["end"]] == "\n".join([P1, P2, P3])
    assert (mark["raw_start"], mark["raw_end"]) == (mark["start"], mark["end"])
    assert not any(k.startswith("_") for k in mark)
    assert policytext.load(disable=["entities", "claims", "themes"])(text).to_dict()["duplicates"] == []


def test_mark_offsets_follow_a_later_text_stage_that_changes_the_text():
    from policytext.alignment import Edit
    from policytext.stages.dedup import duplicate_marks

    text = "\n".join([P1, P2, P3, P1, P2, P3])
    st = run(text, mode="mark")
    st.apply([Edit(0, 0, "【转载】", "banner")], stage="later")  # 4 characters in front
    (mark,) = duplicate_marks(st)
    assert st.text[mark["start"]:mark["end"]] == "\n" + "\n".join([P1, P2, P3])
    assert st.text[mark["duplicate_of"]["start"]:mark["duplicate_of"]["end"]] == "\n".join([P1, P2, P3])
    assert (mark["raw_start"], mark["raw_end"]) == (text.index("\n" + P1, 10), len(text))
