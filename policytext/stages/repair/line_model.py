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

from .pinyin import _plain as _toneless, _syllables  # one syllable table for the stage and the model
from ...errors import Errors

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
# a relative time or a clip's duration in a list of links (``3天前``, ``刚刚``, ``02:42``)
_REL_TIME = re.compile(r"\d+\s*(?:秒|分钟|小时|天|周|个月|月|年)前|刚刚|^\d{1,2}:\d{2}(?::\d{2})?$")
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
    "nb_len_next", "no_han", "rule_both_nb", "furniture_edge", "rel_time",
    "nb_short_prev", "nb_short_next", "short_run", "shape_page",
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


# character classes counted per line: each bit is one of the patterns above (one character each)
_CLASS_PATTERNS = (_HAN, _LATIN, _DIGIT, _PUNCT, _BODY, _SEPS, _BRACKETS, re.compile(rf"[A-Za-zü{_TONED}]"))
_CHAR_BITS: dict[int, int] = {}  # code point -> bits, filled as characters are met


def _class_bits(codepoints: np.ndarray) -> np.ndarray:
    """The class bits of every code point (the patterns themselves decide, once per character)."""
    uniq, inverse = np.unique(codepoints, return_inverse=True)
    bits = np.empty(len(uniq), dtype=np.int64)
    for k, cp in enumerate(uniq.tolist()):
        b = _CHAR_BITS.get(cp)
        if b is None:
            ch = chr(cp)
            b = sum(1 << j for j, pat in enumerate(_CLASS_PATTERNS) if pat.match(ch))
            if len(_CHAR_BITS) < 200_000:
                _CHAR_BITS[cp] = b
        bits[k] = b
    return bits[inverse]


def _class_counts(texts: list[str]) -> np.ndarray:
    """(len(texts), classes) counts of the characters of each text in each class, in one pass
    over the texts joined by line breaks."""
    joined = "\n".join(texts)
    cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    bits = _class_bits(cps)
    out = np.empty((len(texts), len(_CLASS_PATTERNS)), dtype=np.int64)
    for j in range(len(_CLASS_PATTERNS)):
        cum = np.concatenate(([0], np.cumsum((bits >> j) & 1)))
        out[:, j] = cum[starts + lengths] - cum[starts]
    return out


_TOKEN = re.compile(r"[^\s|｜]+")  # the non-empty parts of ``re.split(r"[\s|｜]+", line)``


def _token_counts(texts: list[str]) -> np.ndarray:
    """The number of tokens of each text, one search over the texts joined by line breaks (a
    token never holds one)."""
    joined = "\n".join(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    hits = np.fromiter((m.start() for m in _TOKEN.finditer(joined)), dtype=np.int64)
    return np.bincount(np.searchsorted(starts, hits, side="right") - 1, minlength=len(texts))


def _words_present(texts: list[str], words: tuple[str, ...]) -> np.ndarray:
    """How many of ``words`` occur in each text (``sum(1 for w in words if w in t)``), one search
    per word over the texts joined by line breaks (no word holds one)."""
    joined = "\n".join(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    out = np.zeros(len(texts), dtype=np.int64)
    for w in words:
        if w not in joined:
            continue
        hits = np.fromiter((m.start() for m in re.finditer(re.escape(w), joined)), dtype=np.int64)
        out[np.unique(np.searchsorted(starts, hits, side="right") - 1)] += 1
    return out


_ASCII_PUNCT = str.maketrans({",": "，", "!": "！", "?": "？", ";": "；", ":": "：", "(": "（", ")": "）"})
_SPACE_NOT_BREAK = re.compile(r"[^\S\n]+")


def _scoring_forms(simplified: list[str]) -> list[str]:
    """``scoring.to_scoring_form`` of texts already in simplified script, in one pass."""
    joined = "\n".join(simplified).translate(_ASCII_PUNCT)
    joined = re.sub(r"[0-9]", "0", re.sub(r"[A-Za-z]", "a", joined))
    return _SPACE_NOT_BREAK.sub("", joined).split("\n")


_TRANSITIONS: dict[str, float] = {}  # previous character + character (or a first character) -> log-probability


def _mean_logprobs(forms: list[str]) -> list[float]:
    """``scoring.bigram_score`` of each text in scoring form: the same log-probabilities, summed
    in the same order, each pair of characters computed once per process."""
    from .scoring import UNKNOWN_LOGP, bigram_logprobs

    memo = _TRANSITIONS
    if len(memo) > 500_000:
        memo.clear()
    get = memo.get
    out = []
    for form in forms:
        if not form:
            out.append(UNKNOWN_LOGP)
            continue
        keys = [form[0], *map(str.__add__, form, form[1:])]
        lps = [get(k) for k in keys]
        for i, lp in enumerate(lps):
            if lp is None:
                lps[i] = memo[keys[i]] = bigram_logprobs(keys[i], prepared=True)[-1]
        out.append(sum(lps) / len(lps))
    return out


def _text_features(texts: list[str], corpus_repeats: frozenset[str]) -> np.ndarray:
    """The features of each (stripped, non-blank) line that depend on its text alone, in the
    column order of :data:`FEATURES` (the positional columns are left 0). Bulk: one script
    conversion, one pass over the characters and one search per word for all lines."""
    from ...chinese_script import to_simplified_many

    n = len(texts)
    X = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if not n:
        return X
    col = {name: k for k, name in enumerate(FEATURES)}
    simplified = to_simplified_many(texts)
    lows = [t.lower() for t in simplified]
    counts = _class_counts(texts)
    han, latin, digit, punct, body, seps, brackets, py_chars = counts.T
    L = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
    n_tokens = _token_counts(texts)
    forms = _scoring_forms(simplified)
    scored = _mean_logprobs([f for f, h in zip(forms, han.tolist()) if h >= 2])[::-1]
    bs = np.array([scored.pop() if h >= 2 else -12.0 for h in han.tolist()], dtype=np.float64)
    pinyin = [_pinyin_share(s) if k else (0.0, 0.0) for s, k in zip(texts, py_chars.tolist())]
    X[:, col["bias_len_log"]] = [math.log1p(x) for x in L.tolist()]
    X[:, col["len_short"]] = L <= 8
    X[:, col["han_ratio"]] = han / L
    X[:, col["latin_ratio"]] = latin / L
    X[:, col["digit_ratio"]] = digit / L
    X[:, col["punct_ratio"]] = punct / L
    X[:, col["sent_end"]] = [bool(_SENT_END.search(s)) for s in texts]
    X[:, col["body_punct"]] = body >= 2
    X[:, col["body_punct_per_char"]] = np.minimum(1.0, 10 * body / L)
    X[:, col["tokens_log"]] = [math.log1p(x) for x in n_tokens.tolist()]
    X[:, col["mean_token_len"]] = np.minimum(10.0, L / np.maximum(1, n_tokens)) / 10
    X[:, col["link_words"]] = np.minimum(5, _words_present(lows, _LINK_WORDS)) / 5
    X[:, col["spam_words"]] = np.minimum(5, _words_present(lows, _SPAM_WORDS)) / 5
    X[:, col["bigram_score"]] = np.maximum(-12.0, bs) / 12
    X[:, col["bigram_low"]] = bs < -8.5
    X[:, col["repeat_corpus"]] = [line_hash(s) in corpus_repeats for s in texts]
    X[:, col["pinyin_ratio"]] = [p for p, _ in pinyin]
    X[:, col["toned_ratio"]] = [t for _, t in pinyin]
    X[:, col["label_colon"]] = [bool(_LABEL.match(s)) for s in texts]
    X[:, col["url"]] = [bool(_URL.search(s)) for s in texts]
    X[:, col["date"]] = [bool(_DATE.search(s)) for s in texts]
    X[:, col["seps"]] = np.minimum(5, seps) / 5
    X[:, col["brackets"]] = np.minimum(4, brackets) / 4
    X[:, col["heading"]] = [bool(_HEADING.match(s)) for s in texts]
    X[:, col["no_han"]] = han == 0
    X[:, col["rel_time"]] = [bool(_REL_TIME.search(s)) for s in texts]
    return X


_CLAUSE_OR_END = re.compile(r"[。，；！？,;!?：:]")


def _is_short_row(s: str) -> bool:
    """A line shaped like a menu row or a widget label: at most 16 characters, no clause or
    sentence mark."""
    return len(s) <= 16 and not _CLAUSE_OR_END.search(s)


def _shape(s: str) -> tuple:
    """A coarse shape of a line (length band, tokens, Han share band, marks) shared by the rows of
    one menu or list and rarely by two paragraphs."""
    n = len(s)
    band = 0 if n <= 4 else 1 if n <= 8 else 2 if n <= 16 else 3 if n <= 40 else 4
    toks = len(s.split())
    han = len(_HAN.findall(s)) / n
    return (band, min(toks, 4), round(han * 2), bool(_CLAUSE_OR_END.search(s)), bool(_SENT_END.search(s)))


def line_features(lines: list[str], rule_kinds: list[str | None], corpus_repeats: frozenset[str] = frozenset(),
                  only: set[int] | None = None) -> np.ndarray:
    """One feature row per line of ``lines`` (blank lines, and lines not in ``only`` when given,
    get zeros: they are not classified).

    Computed in bulk: the text features once per distinct line (:func:`_text_features`), then the
    position, repetition and neighbour columns; a document of many short lines costs about what
    one of few long lines of the same length costs."""
    stripped = [ln.strip().strip("\u00a0\u3000 ") for ln in lines]
    nonblank = [i for i, s in enumerate(stripped) if s]
    n = max(1, len(nonblank))
    counts: dict[str, int] = {}
    for s in stripped:
        if s:
            counts[s] = counts.get(s, 0) + 1
    X = np.zeros((len(lines), len(FEATURES)), dtype=np.float64)
    rows = [(k, i) for k, i in enumerate(nonblank) if only is None or i in only]
    if not rows:
        return X
    distinct = list(dict.fromkeys(stripped[i] for _, i in rows))
    which = {s: r for r, s in enumerate(distinct)}
    idx = np.array([i for _, i in rows], dtype=np.int64)
    X[idx] = _text_features(distinct, corpus_repeats)[[which[stripped[i]] for _, i in rows]]
    # the nearest non-blank line before and after each line
    prev_of, last = [-1] * len(lines), -1
    for i, s in enumerate(stripped):
        prev_of[i] = last
        if s:
            last = i
    next_of, last = [-1] * len(lines), -1
    for i in range(len(lines) - 1, -1, -1):
        next_of[i] = last
        if stripped[i]:
            last = i
    col = {name: k for k, name in enumerate(FEATURES)}
    order = np.array([k for k, _ in rows], dtype=np.int64)
    kind_of = [rule_kinds[i] for _, i in rows]
    prev = [prev_of[i] for _, i in rows]
    nxt = [next_of[i] for _, i in rows]
    X[idx, col["pos_rel"]] = order / n
    X[idx, col["pos_first3"]] = order < 3
    X[idx, col["pos_last3"]] = order >= n - 3
    X[idx, col["repeat_page"]] = np.minimum(3, np.array([counts[stripped[i]] for _, i in rows]) - 1) / 3
    X[idx, col["rule_any"]] = [k is not None for k in kind_of]
    X[idx, col["rule_spam"]] = [k == "spam_line" for k in kind_of]
    X[idx, col["rule_nb"]] = [(p >= 0 and rule_kinds[p] is not None) or (q >= 0 and rule_kinds[q] is not None)
                              for p, q in zip(prev, nxt)]
    X[idx, col["rule_both_nb"]] = [p >= 0 and rule_kinds[p] is not None and q >= 0 and rule_kinds[q] is not None
                                   for p, q in zip(prev, nxt)]
    # the line sits in the page's bottom furniture: every non-blank line below it is furniture by
    # the rules, and there is at least one (the top edge is left out: the article's title follows
    # the top furniture)
    below = np.zeros(len(nonblank) + 1, dtype=bool)
    below[len(nonblank)] = True
    for k in range(len(nonblank) - 1, -1, -1):
        below[k] = below[k + 1] and rule_kinds[nonblank[k]] is not None
    X[idx, col["furniture_edge"]] = [k < len(nonblank) - 1 and below[k + 1] for k, _ in rows]
    # the shape of the lines around it, without the rules: a menu row sits among menu rows, a
    # widget label among widget labels (short lines without clause or sentence marks)
    short = [bool(s) and _is_short_row(s) for s in stripped]
    X[idx, col["nb_short_prev"]] = [p >= 0 and short[p] for p in prev]
    X[idx, col["nb_short_next"]] = [q >= 0 and short[q] for q in nxt]
    run_len = [0] * len(nonblank)
    k = 0
    while k < len(nonblank):
        j = k
        while j < len(nonblank) and short[nonblank[j]]:
            j += 1
        for m in range(k, j):
            run_len[m] = j - k
        k = max(j, k + 1)
    X[idx, col["short_run"]] = [min(6, run_len[k]) / 6 for k, _ in rows]
    shapes = [_shape(s) if s else None for s in stripped]
    shape_counts: dict[tuple, int] = {}
    for sh in shapes:
        if sh is not None:
            shape_counts[sh] = shape_counts.get(sh, 0) + 1
    X[idx, col["shape_page"]] = [math.log1p(shape_counts[shapes[i]] - 1) / math.log1p(n) if n > 1 else 0.0
                                 for _, i in rows]
    X[idx, col["nb_len_prev"]] = np.array([math.log1p(len(stripped[p]) if p >= 0 else 0) for p in prev]) / 6
    X[idx, col["nb_len_next"]] = np.array([math.log1p(len(stripped[q]) if q >= 0 else 0) for q in nxt]) / 6
    return X


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
            raise ValueError(Errors.E350)
        coef = np.asarray(data["coef"], dtype=np.float64)
        if coef.shape != (len(data["classes"]), len(FEATURES)):
            raise ValueError(Errors.E351)
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
    than 30 characters, a long line, a heading, a keyword line (``关键词：…`` is content), a
    dateline or a document number."""
    s = line.strip()
    if not s or len(s) > 200 or _KEYWORD_LINE.match(s) or _HEADING.match(s) or _SOURCE_LINE.match(s):
        return False
    if len(s) > 30 and len(_CLAUSE.findall(s)) >= 2:
        return False
    if len(_HAN.findall(s)) >= 30 and _CLAUSE.search(s):
        return False  # thirty Han characters and a clause mark: prose
    if _DATE.search(s) and len(s) <= 80:
        return False  # a dateline (中国应急管理报/2025 年/7 月/16 日/第 002 版)
    if _QUOTED.search(s) and len(_HAN.findall(s)) >= 12:
        return False  # a title or sentence with a quoted term (张三 | 政策执行中的“一刀切”现象：…)
    if _DOC_NUMBER.search(s):
        return False  # a document or standard number (镇政发〔2024〕7号, GB/T 26341-2010 …)
    if _TOC_WORD.match(s):
        return False  # the heading of a table of contents (the document's own, kept)
    if _is_headline(s):
        return False  # a title (省政府召开2019年前三季度全省经济运行情况新闻发布会)
    return not (len(s) > 60 and _SENT_END.search(s) and _BODY.search(s))


_CLAUSE = re.compile(r"[。，；！？,;!?]")
_TOC_WORD = re.compile(r"^(?:目\s*[录錄]|contents|table of contents)\s*[:：]?$", re.I)
_HEADLINE_BAD = re.compile(r"[|｜_›»>/\\•·●▪■◆◇□☉【】\[\]]")


def _is_headline(s: str) -> bool:
    """A line that reads as a title: twelve or more Han characters making most of it, at most two
    space-separated parts, no separator or bullet, no link, widget or spam word (a linked
    headline the rules missed is kept: a kept title costs less than a lost one)."""
    han = len(_HAN.findall(s))
    if han < 12 or han < 0.6 * len(s) or len(s.split()) > 2 or _HEADLINE_BAD.search(s):
        return False
    low = s.lower()
    return not any(w in low for w in _WIDGET_WORDS) and not any(w in low for w in _SPAM_WORDS)


# words of widgets and credits that a title does not hold (``发布``, ``视频``, ``相关`` may)
_WIDGET_WORDS = tuple("点击 下载 登录 注册 扫码 扫一扫 二维码 客户端 版权 备案 icp 责编 编辑 浏览 阅读 收藏 订阅 分享 "
                      "首页 返回 上一篇 下一篇 公众号 app 热线 客服 投诉 免责".split())


_QUOTED = re.compile(r"“[^”]{1,30}”|「[^」]{1,30}」")
_DOC_NUMBER = re.compile(r"[〔\[［【（(]\s*(?:19|20)\d{2}\s*[〕\]］】）)]\s*第?\s*\d{1,5}\s*号"
                         r"|\b(?:GB|HJ|JGJ|DL|YY|QB|SB|JB|JT|WS|GA|DB\d{2})(?:/[TZ])?\s*\d")
