"""A learned line classifier: content / furniture / spam / pinyin_junk.

The rules of ``furniture.py`` were written from what had been seen; page furniture is open-ended
(every site has its own widgets). This model scores each line with features a person would use:
its length, the share of Han characters, punctuation, digits and Latin letters, whether it ends
like a sentence, its position on the page, words of links and widgets, spam words, the bigram
plausibility of its Chinese (the official-text table of ``repair/scoring.py``), how often it
repeats on the page and across the training pages (hashes only), how much of it reads as pinyin,
and what the rules say about it and its neighbours. A multinomial logistic regression
(``models/line_classifier/model.json``: feature names, scaling, weights; trained by
``scripts/train_line_classifier.py`` on the labelled lines of ``corpora/web_lines/labels.tsv``
and clean official text) turns them into class probabilities.

The rules stay the high-precision path; the model removes a line the rules kept only when it is
confident, and never a line that reads as body text (see :func:`model_removable`).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ...chinese_script import to_simplified
from .pinyin import _plain as _toneless, _syllables  # one syllable table for the stage and the model

__all__ = ["CLASSES", "FEATURES", "LineModel", "load_line_model", "line_features", "model_removable", "line_hash"]

CLASSES = ("content", "furniture", "spam", "pinyin_junk")

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9０-９]")
_PUNCT = re.compile(r"[，。、；：？！“”‘’（）《》〈〉【】「」『』…—,.;:?!()\"'\[\]<>|/\\_\-•·●>»›~*#@&%+=]")
_SENT_END = re.compile(r"[。！？；…”」』!?;.:：）)]\s*$")
_BODY = re.compile(r"[。，；]")
_SEPS = re.compile(r"[|｜>»›_•·●▪■◆/\\]")
_URL = re.compile(r"https?://|www\.|\.(?:com|cn|net|org|html?)\b|@[a-z0-9-]+\.", re.I)
_DATE = re.compile(r"\d{2,4}\s*[-/年.]\s*/?\s*\d{1,2}\s*[-/月.]\s*/?\s*\d{1,2}|\d{1,2}:\d{2}")
_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇两\d]+[章节条编部分款项]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]\s*\S)")
_LABEL = re.compile(r"^[\s•·\-*【\[]*[\u4e00-\u9fff]{2,6}\s*[】\]]?\s*[:：]")
_BRACKETS = re.compile(r"[【】\[\]]")
_LINK_WORDS = tuple(
    "点击 下载 登录 注册 分享 首页 返回 评论 收藏 订阅 扫码 扫一扫 二维码 app 客户端 版权 编辑 责编 来源 浏览 阅读 "
    "关注 客服 热线 投诉 举报 推荐 相关 广告 打印 字号 字体 关闭 更多 网站 频道 栏目 导航 菜单 搜索 链接 原文 全文 "
    "视频 图片 上一篇 下一篇 english 手机 微信 微博 公众号 主办 承办 备案 icp 免责 声明 作者 发布 时间 日期 点赞 转发".split()
)
_SPAM_WORDS = tuple(
    "无码 成人 色情 黄色 av 福利 午夜 博彩 娱乐城 百家乐 彩票 彩金 赌 葡京 棋牌 裸聊 约炮 一区二区 不卡 久久 精品 国产 "
    "日韩 欧美 亚洲 视频在线 在线观看 免费观看 高清 人妻 丝袜 激情 pk10 365 开云 官网入口 网页版 范文 小编 写作".split()
)
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"

FEATURES = (
    "bias_len_log", "len_short", "han_ratio", "latin_ratio", "digit_ratio", "punct_ratio", "sent_end", "body_punct",
    "body_punct_per_char", "tokens_log", "mean_token_len", "pos_rel", "pos_first3", "pos_last3", "link_words",
    "spam_words", "bigram_score", "bigram_low", "repeat_page", "repeat_corpus", "pinyin_ratio", "toned_ratio",
    "label_colon", "url", "date", "seps", "brackets", "heading", "rule_any", "rule_spam", "rule_nb", "nb_len_prev",
    "nb_len_next", "no_han",
)


def line_hash(line: str) -> str:
    return hashlib.sha1(line.strip().encode("utf-8")).hexdigest()[:12]



def _pinyin_share(s: str) -> tuple[float, float]:
    toks = re.findall(rf"[A-Za-zü{_TONED}]+", s)
    if not toks:
        return 0.0, 0.0
    syl = _syllables()
    py = sum(1 for t in toks if _toneless(t) in syl and (len(t) > 1 or any(c in _TONED for c in t)))
    toned = sum(1 for t in toks if any(c in _TONED for c in t.lower()))
    n_chars = sum(len(t) for t in toks)
    weight = n_chars / max(1, len(s.replace(" ", "")))
    return py / len(toks) * weight, toned / len(toks) * weight


def _simp(s: str) -> str:
    return to_simplified(s).lower()


def line_features(lines: list[str], rule_kinds: list[str | None], corpus_repeats: frozenset[str] = frozenset(),
                  only: set[int] | None = None) -> np.ndarray:
    """One feature row per line of ``lines`` (blank lines, and lines not in ``only`` when given,
    get zeros: they are not classified)."""
    from .scoring import bigram_score

    stripped = [ln.strip().strip("\u00a0\u3000 ") for ln in lines]
    nonblank = [i for i, s in enumerate(stripped) if s]
    order = {i: k for k, i in enumerate(nonblank)}
    n = max(1, len(nonblank))
    counts: dict[str, int] = {}
    for s in stripped:
        if s:
            counts[s] = counts.get(s, 0) + 1
    X = np.zeros((len(lines), len(FEATURES)), dtype=np.float64)
    for i, s in enumerate(stripped):
        if not s or (only is not None and i not in only):
            continue
        L = len(s)
        low = _simp(s)
        han = len(_HAN.findall(s))
        tokens = [t for t in re.split(r"[\s|｜]+", s) if t]
        k = order[i]
        prev = next((stripped[j] for j in range(i - 1, -1, -1) if stripped[j]), "")
        nxt = next((stripped[j] for j in range(i + 1, len(lines)) if stripped[j]), "")
        nb = [rule_kinds[j] for j in (_nb(stripped, i, -1), _nb(stripped, i, 1)) if j is not None]
        py, toned = _pinyin_share(s)
        bs = bigram_score(s) if han >= 2 else -12.0
        X[i] = (
            math.log1p(L), float(L <= 8), han / L, len(_LATIN.findall(s)) / L, len(_DIGIT.findall(s)) / L,
            len(_PUNCT.findall(s)) / L, float(bool(_SENT_END.search(s))), float(len(_BODY.findall(s)) >= 2),
            min(1.0, 10 * len(_BODY.findall(s)) / L), math.log1p(len(tokens)), min(10.0, L / max(1, len(tokens))) / 10,
            k / n, float(k < 3), float(k >= n - 3), min(5, sum(1 for w in _LINK_WORDS if w in low)) / 5,
            min(5, sum(1 for w in _SPAM_WORDS if w in low)) / 5, max(-12.0, bs) / 12, float(bs < -8.5),
            min(3, counts[s] - 1) / 3, float(line_hash(s) in corpus_repeats), py, toned,
            float(bool(_LABEL.match(s))), float(bool(_URL.search(s))), float(bool(_DATE.search(s))),
            min(5, len(_SEPS.findall(s))) / 5, min(4, len(_BRACKETS.findall(s))) / 4, float(bool(_HEADING.match(s))),
            float(rule_kinds[i] is not None), float(rule_kinds[i] == "spam_line"),
            float(any(x is not None for x in nb)), math.log1p(len(prev)) / 6, math.log1p(len(nxt)) / 6, float(han == 0),
        )
    return X


def _nb(stripped: list[str], i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(stripped) and not stripped[j]:
        j += step
    return j if 0 <= j < len(stripped) else None


@dataclass
class LineModel:
    classes: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray
    threshold: float
    corpus_repeats: frozenset[str]

    def proba(self, X: np.ndarray) -> np.ndarray:
        z = ((X - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict:
        return {"classes": list(self.classes), "features": list(FEATURES), "mean": self.mean.tolist(),
                "scale": self.scale.tolist(), "coef": self.coef.tolist(), "intercept": self.intercept.tolist(),
                "threshold": self.threshold, "corpus_repeats": sorted(self.corpus_repeats)}

    @classmethod
    def from_json(cls, data: dict) -> "LineModel":
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError("line classifier: the model's features do not match this version of policytext")
        coef = np.asarray(data["coef"], dtype=np.float64)
        if coef.shape != (len(data["classes"]), len(FEATURES)):
            raise ValueError("line classifier: weights have the wrong shape")
        return cls(tuple(data["classes"]), np.asarray(data["mean"], dtype=np.float64),
                   np.asarray(data["scale"], dtype=np.float64), coef, np.asarray(data["intercept"], dtype=np.float64),
                   float(data["threshold"]), frozenset(data.get("corpus_repeats", [])))


@lru_cache(maxsize=4)
def load_line_model(path: str | None = None) -> LineModel | None:
    """The shipped model (``models/line_classifier/model.json``), or None when there is none."""
    if path is None:
        from ...models import model_path

        folder = model_path("line_classifier")
        if folder is None:
            return None
        p = Path(folder) / "model.json"
    else:
        p = Path(path)
    if not p.is_file():
        return None
    return LineModel.from_json(json.loads(p.read_text(encoding="utf-8")))


_KEYWORD_LINE = re.compile(r"^[【\[]?\s*(?:关键词|关键字|關鍵詞|關鍵字)\s*[】\]]?\s*[:：]\s*\S")
# a source or date line with its value (``来源：新华社``, ``发布时间：2024-03-05``): metadata kept with the text
_SOURCE_LINE = re.compile(r"^[\s•·【\[]*(?:来源|來源|发布时间|發布時間|发布日期|發布日期|时间|時間|日期)\s*[:：]\s*\S")


def model_removable(line: str) -> bool:
    """May the model remove this line? Never body text: a line with two clause marks and more
    than 30 characters, a long line, a heading, or a keyword line (``关键词：…`` is content)."""
    s = line.strip()
    if not s or len(s) > 200 or _KEYWORD_LINE.match(s) or _HEADING.match(s) or _SOURCE_LINE.match(s):
        return False
    if len(s) > 30 and len(_CLAUSE.findall(s)) >= 2:
        return False
    if len(_HAN.findall(s)) >= 30 and _CLAUSE.search(s):
        return False  # thirty Han characters and a clause mark: prose
    if _DATE.search(s) and len(s) <= 80:
        return False  # a dateline (中国应急管理报/2025 年/7 月/16 日/第 002 版)
    return not (len(s) > 60 and _SENT_END.search(s) and _BODY.search(s))


_CLAUSE = re.compile(r"[。，；！？,;!?]")
