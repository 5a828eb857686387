"""The bulk computations of the repair stage's furniture step and the theme features give exactly
what the per-line computations gave (issue #18: a document of many short lines paid a fixed cost
per line; the work is now done once per document).

The per-line line-classifier features are kept here as the reference (the implementation before
the bulk version); they are compared bit for bit on fragments written here and, when the shared
data is present, on every line of the 196 scraped pages and some clean official text.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from policytext.chinese_script import to_simplified, to_simplified_many
from policytext.stages.repair import furniture as F
from policytext.stages.repair import line_model as LM
from policytext.stages.repair.scoring import bigram_score

# ----------------------------------------------------------------------------- reference


def _reference_line_features(lines: list[str], rule_kinds: list[str | None],
                             corpus_repeats: frozenset[str] = frozenset(), only: set[int] | None = None) -> np.ndarray:
    """``line_features`` as it was: one row at a time, one script conversion and about twenty
    regular-expression searches per line."""
    def simp(s: str) -> str:
        return to_simplified(s).lower()

    def nb_index(stripped: list[str], i: int, step: int) -> int | None:
        j = i + step
        while 0 <= j < len(stripped) and not stripped[j]:
            j += step
        return j if 0 <= j < len(stripped) else None

    stripped = [ln.strip().strip("\u00a0\u3000 ") for ln in lines]
    nonblank = [i for i, s in enumerate(stripped) if s]
    order = {i: k for k, i in enumerate(nonblank)}
    n = max(1, len(nonblank))
    counts: dict[str, int] = {}
    for s in stripped:
        if s:
            counts[s] = counts.get(s, 0) + 1
    X = np.zeros((len(lines), len(LM.FEATURES)), dtype=np.float64)

    def short(t: str) -> bool:
        return len(t) <= 16 and not re.search(r"[。，；！？,;!?：:]", t)

    def run(k: int) -> int:  # the run of short non-blank lines around the k-th non-blank line
        if not short(stripped[nonblank[k]]):
            return 0
        a = b = k
        while a > 0 and short(stripped[nonblank[a - 1]]):
            a -= 1
        while b + 1 < len(nonblank) and short(stripped[nonblank[b + 1]]):
            b += 1
        return b - a + 1

    for i, s in enumerate(stripped):
        if not s or (only is not None and i not in only):
            continue
        L = len(s)
        low = simp(s)
        han = len(LM._HAN.findall(s))
        tokens = [t for t in re.split(r"[\s|｜]+", s) if t]
        k = order[i]
        prev = next((stripped[j] for j in range(i - 1, -1, -1) if stripped[j]), "")
        nxt = next((stripped[j] for j in range(i + 1, len(lines)) if stripped[j]), "")
        nb = [rule_kinds[j] for j in (nb_index(stripped, i, -1), nb_index(stripped, i, 1)) if j is not None]
        py, toned = LM._pinyin_share(s)
        bs = bigram_score(s) if han >= 2 else -12.0
        X[i] = (
            math.log1p(L), float(L <= 8), han / L, len(LM._LATIN.findall(s)) / L, len(LM._DIGIT.findall(s)) / L,
            len(LM._PUNCT.findall(s)) / L, float(bool(LM._SENT_END.search(s))), float(len(LM._BODY.findall(s)) >= 2),
            min(1.0, 10 * len(LM._BODY.findall(s)) / L), math.log1p(len(tokens)), min(10.0, L / max(1, len(tokens))) / 10,
            k / n, float(k < 3), float(k >= n - 3), min(5, sum(1 for w in LM._LINK_WORDS if w in low)) / 5,
            min(5, sum(1 for w in LM._SPAM_WORDS if w in low)) / 5, max(-12.0, bs) / 12, float(bs < -8.5),
            min(3, counts[s] - 1) / 3, float(LM.line_hash(s) in corpus_repeats), py, toned,
            float(bool(LM._LABEL.match(s))), float(bool(LM._URL.search(s))), float(bool(LM._DATE.search(s))),
            min(5, len(LM._SEPS.findall(s))) / 5, min(4, len(LM._BRACKETS.findall(s))) / 4,
            float(bool(LM._HEADING.match(s))), float(rule_kinds[i] is not None), float(rule_kinds[i] == "spam_line"),
            float(any(x is not None for x in nb)), math.log1p(len(prev)) / 6, math.log1p(len(nxt)) / 6, float(han == 0),
            float(len(nb) == 2 and all(x is not None for x in nb)),
            float(k < len(nonblank) - 1 and all(rule_kinds[j] is not None for j in nonblank[k + 1:])),
            float(bool(LM._REL_TIME.search(s))),
            float(bool(prev) and short(prev)), float(bool(nxt) and short(nxt)), min(6, run(k)) / 6,
            math.log1p(sum(1 for t in stripped if t and LM._shape(t) == LM._shape(s)) - 1) / math.log1p(n) if n > 1 else 0.0,
        )
    return X


# ----------------------------------------------------------------------------- fragments

PAGE = """\
首頁 > 新聞中心 > 政務公開
國務院辦公廳關於印發《數字政府建設指引》的通知
發布時間：2024-03-05 10:30　來源：新華社　瀏覽次數：1234
【字體：大 中 小】【打印】【關閉窗口】

各省、自治區、直轄市人民政府，國務院各部委、各直屬機構：
　　現將《數字政府建設指引》印發給你們，請結合實際認真貫徹落實。

zhōng huá rén mín gòng hé guó guó wù yuàn
數(shù)據(jù)資源 www.example.com 加微信abc12345领取
  \u00a0
分享到：微信 微博 QQ空間
上一篇：關於做好2024年春耕生產工作的通知
責任編輯：李四
Copyright © 2024 www.gov.cn 版权所有 京ICP备05070218号
日韩无码视频_午夜福利影院_成人免费在线观看_一区二区不卡
国。

国。
a\u00e9b ÃƒÂ© 1,234.5 ０１２ ① Ⅻ
快评2天前
02:42
"""


def _check(lines: list[str], repeats: frozenset[str] = frozenset(), only: set[int] | None = None) -> None:
    kinds = F.rule_kinds([(0, 0, ln + "\n") for ln in lines])
    got = LM.line_features(lines, kinds, repeats, only=only)
    want = _reference_line_features(lines, kinds, repeats, only=only)
    assert got.shape == want.shape
    bad = np.argwhere(got != want)
    assert not len(bad), [(LM.FEATURES[j], lines[i][:30], got[i, j], want[i, j]) for i, j in bad[:5]]


def test_bulk_features_equal_the_per_line_reference_on_fragments():
    lines = PAGE.split("\n")
    repeats = frozenset({LM.line_hash("国。"), LM.line_hash("責任編輯：李四")})
    _check(lines, repeats)
    _check(lines, repeats, only={1, 5, 9, 17, 19})
    _check([])
    _check(["", "  ", "\u3000"])
    _check(["x"])


def test_simplified_many_equals_one_call_per_text():
    texts = ["國務院辦公廳", "", "發展\n改革", "\n", "乾隆年間的乾燥天氣", "後來", "a\u00e9b", "\r\n臺灣\r"]
    assert to_simplified_many(texts) == [to_simplified(t) for t in texts]
    assert to_simplified_many([]) == [] and to_simplified_many(["後"]) == ["后"]


def _check_classification(lines: list[str]) -> None:
    """The bulk path of ``rule_kinds`` (one script conversion, each distinct line once) classifies
    every line as ``classify_line`` does alone."""
    cores = [F._core(ln) for ln in lines]
    distinct = list(dict.fromkeys(c for c in cores if c))
    memo = dict(zip(distinct, (F._classify(c, low) for c, low in zip(distinct, F._simp_many(distinct)))))
    assert [memo[c] if c else None for c in cores] == [F.classify_line(ln) for ln in lines]


def test_bulk_classification_equals_classify_line():
    lines = PAGE.split("\n")
    _check_classification(lines)
    assert any(F.classify_line(ln) for ln in lines)  # the fragments do reach the rules


# ----------------------------------------------------------------------------- real pages


def _page_lines(shared_data) -> list[list[str]]:
    from policytext.stages.base import create_text_stage
    from policytext.state import TextState
    import policytext.stages.html  # noqa: F401

    pages = []
    with open(shared_data / "web_pages" / "pages.jsonl", encoding="utf-8") as f:
        for row in map(json.loads, f):
            st = TextState(raw=row["text"])
            create_text_stage("html")(st)
            create_text_stage("repair", config={"furniture": False, "flag_damage": False})(st)
            pages.append(st.text.split("\n"))
    return pages


def test_bulk_features_equal_the_reference_on_every_scraped_page(shared_data):
    if not (shared_data / "web_pages" / "pages.jsonl").is_file():
        pytest.skip("no scraped pages")
    model = LM.load_line_model()
    repeats = model.corpus_repeats if model is not None else frozenset()
    for lines in _page_lines(shared_data):
        _check(lines, repeats)
        _check_classification(lines)
    with open(shared_data / "cn_laws_regulations_lawrefbook" / "administrative_regulations.jsonl", encoding="utf-8") as f:
        for k, row in enumerate(map(json.loads, f)):
            if k == 20:
                break
            lines = row["text_markdown"].split("\n")
            _check(lines, repeats)
            _check_classification(lines)


def test_to_simplified_keeps_lone_surrogates_and_converts_around_them() -> None:
    assert to_simplified("國\ud800務院") == "国\ud800务院"
    assert to_simplified("\udfff後") == "\udfff后"
    assert to_simplified_many(["發\udc00展", "經濟"]) == ["发\udc00展", "经济"]
