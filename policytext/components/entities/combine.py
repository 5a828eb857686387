"""Combine user dictionary, pattern rules, gazetteers and a statistical backend.

Precedence (documented in docs/entities.md):

1. **User dictionary** entries (``user_dicts``) — always win.
2. **Patterns** (:mod:`.rules`): 《…》 LAW, “…”+工程/行动/… PROGRAM, DATE, EVENT; between two
   overlapping patterns the longer wins (《“十四五”数字经济发展规划》 LAW over “十四五”规划 PROGRAM).
3. **Gazetteer names and model spans**, on equal footing: when one contains the other the longer
   wins (model ORG 北京大学 over gazetteer GPE 北京; gazetteer GPE 北京市 over model LOC 北京);
   a model span that only partly overlaps a gazetteer name (or a ``not_names`` O entry) is
   dropped (a ``blockers`` entry vetoes only the place name it straddles: 重庆 in 隆重庆祝, not
   巴黎 in 巴黎城边), and so is one that is a same-label gazetteer name plus one character, a long one
   with an implausible last character, or a lone one-character place that is no abbreviation;
   on equal spans the gazetteer's label wins.
4. **TITLE** from the title gazetteer, kept only when attached to a name: right after an ORG, GPE,
   PERSON or another TITLE (``、`` between titles allowed), or right before a PERSON.

An ORG candidate whose last character starts a common word with the next one is dropped
(卫生部|门, 共青团|员; :func:`_word_goes_on`).

Local bodies are composed from names and word lists (:mod:`.bodies`): 上海市房屋管理局,
市工业和信息化局, 国家税务总局上海市税务局, 上海黄金交易所; events from names and meeting words
(:mod:`.events`). Names inside a cut title (a 《 never closed on its line) are dropped.

The model has no GPE label: its LOC spans that are known divisions/countries, or end in a
division suffix (省/市/县/区/自治区/州/国), become GPE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .bodies import bare_level_bodies, company_names, compose_bodies, merge_bodies
from .events import events_after_names, sport_events_after
from .extra_patterns import names_after_places
from .person_repair import repair_persons
from .web_patterns import find_orgs as find_web_orgs
from .gazetteer import Gazetteer, blocker_names, default_gazetteer, gpe_names, load_tsv, title_gazetteer
from .rules import QUOTED_RE, find_patterns

__all__ = ["EntityRecognizer", "resolve", "GPE_SUFFIXES"]

GPE_SUFFIXES = ("省", "市", "县", "自治区", "自治州", "自治县", "特别行政区", "国", "州", "盟", "旗")
_LEFT_OF_TITLE = {"ORG", "GPE", "PERSON", "TITLE"}
# Last characters of long names in MSRA train (chars seen ≥5 times as the end of an ORG of ≥4 chars,
# 98% of them; of a LOC of ≥3 chars, 97%). A long model span ending elsewhere is a boundary error
# (国务院工业和信息化主管|部门, 鸿蒙生态设备总) and is dropped.
ORG_FINAL = frozenset("队会司团部局院学委行织社厂党所心报协台联组校大军室处厅馆盟央署系站篮》斯排马亚店志构尔体阁”金庭"
                      "班号中关刊科园家田克办警机那拉份业A矿连场府乐券达省线议区艺林e动安闻专定楼讯船总狮神段网师夫器"
                      "光坛足牛日兴岛山险)营范地方")
LOC_FINAL = frozenset("市亚省斯县区村利坦馆场列山镇哥国克尔河沃城兰州大岛乡堂牙科心路拉夫园坡宾江顿堡伯盟里湖庄特瓦冷寺"
                      "海洲古卡星桥街岸廷寨时纳绍滨店厅宫福道洋湾齐站地邦奇楼德峰那达孙干港系厦其西院号门塔陆多酋库汗线"
                      "府碑嫩口迪驿礁峡马兹1梅安关沟汤勒萨滩圭子托本华罗矶阁图比岭得花欧索敦川加卢让六窟摩洞球韦博尼树"
                      "隆埃座原廊郡像坝巴瓜林提庙营志都居谷丹夷墓及室集界")
# one-character abbreviations of Chinese provinces and of countries/continents used in official text
ABBREVIATIONS = frozenset("华京沪津渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川蜀黔滇藏陕甘陇宁青新港澳台"
                          "美英法德日俄韩朝印墨意加越泰菲缅巴蒙欧亚非拉")
# one-character division suffixes: a model GPE = gazetteer GPE + one of these is a full name
DIVISION_FINAL = frozenset("省市县区州国旗盟")
# words never inside a PERSON/ORG/LOC name: a model span holding one is two names or none
_NOT_IN_NAMES = re.compile(r"转发|印发|关于|的")
PEOPLE_GROUPS = ("同胞", "侨胞", "人民", "民众", "居民", "群众", "青年")
_SOURCE_RANK = {"user": 0, "pattern": 1, "gazetteer": 2, "model": 3}


def relabel_place(text: str, label: str) -> str:
    """LOC from a model → GPE when the name is a known division/country or has a division suffix."""
    if label != "LOC":
        return label
    if text in gpe_names():
        return "GPE"
    if len(text) >= 2 and text.endswith(GPE_SUFFIXES) and not text.endswith(("地区", "流域")):
        return "GPE"
    return "LOC"


def resolve(cands: list[tuple[int, int, str, str, int]], text: str | None = None) -> list[tuple[int, int, str, str]]:
    """Greedy non-overlapping selection of ``(start, end, label, source, priority)`` candidates.

    ``text`` (optional) lets a model GPE that is a gazetteer name plus a division suffix
    (松江|县, 以色列|国) survive the off-by-one rule."""
    # index gazetteer spans by the characters they cover (linear, also for long documents)
    gaz_labels: dict[tuple[int, int], str] = {}
    cover: dict[int, list[tuple[int, int]]] = {}
    for s, e, lab, src, _p in cands:
        if src == "gazetteer":
            gaz_labels[(s, e)] = lab
            for i in range(s, e):
                cover.setdefault(i, []).append((s, e))
    kept = []
    for c in cands:
        s, e, label, src, _p = c
        if src == "model":
            near = {g for i in range(s, e) for g in cover.get(i, ())}
            crossing = any(not (s <= g[0] and g[1] <= e) and not (g[0] <= s and e <= g[1]) for g in near)
            # a model span that is a gazetteer name of the same label plus one stray character is a
            # boundary error (国家发展改革委|党组成员): the gazetteer name wins
            # (but 松江 + 县, 以色列 + 国: a division suffix completes the name)
            off_by_one = any(
                s <= g[0] and g[1] <= e and (e - s) - (g[1] - g[0]) == 1 and gaz_labels[g] == label
                and not (label == "GPE" and g[0] == s and text is not None and text[e - 1] in DIVISION_FINAL)
                for g in near
            )
            if crossing or off_by_one:
                continue
        kept.append(c)
    kept.sort(key=lambda c: (-c[4], -(c[1] - c[0]), _SOURCE_RANK.get(c[3], 9), c[0]))
    chosen: list[tuple[int, int, str, str]] = []
    taken = bytearray(max((c[1] for c in kept), default=0))
    for s, e, label, src, _p in kept:
        if any(taken[s:e]):
            continue
        for i in range(s, e):
            taken[i] = 1
        chosen.append((s, e, label, src))
    chosen.sort()
    return chosen


# a cut title: 《 + at most 40 characters up to the end of the line, no sentence punctuation
_OPEN_TITLE = re.compile(r"《[^《》\n，。；！？,;!?]{1,40}$", re.M)


def _drop_inside_open_titles(text: str, cands: list) -> list:
    """Text after a 《 that is never closed (a cut document title: 关于印发《上海市绿化…) is part of
    a title, not a run of separate names: candidates inside it are dropped (user entries stay)."""
    inside = bytearray(len(text))  # 1 for the characters of a cut title, from its 《 to the line end
    for m in _OPEN_TITLE.finditer(text):
        inside[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    if not any(inside):
        return cands
    return [c for c in cands if c[3] == "user" or not (inside[c[0]] and inside[c[1] - 1])]



def _word_goes_on(text: str, s: int, e: int) -> bool:
    """An ORG name whose last character starts a longer common word with the next one is no name:
    a ministry's 部 + 门 (卫生|部门, 公安|部门, but 公安部|门户网站), a party's or league's 党/团 +
    员 (共青团|员, 共产党|员)."""
    nxt = text[e : e + 2]
    last = text[e - 1]
    return (last == "部" and nxt[:1] == "门" and nxt != "门户") or (last in "党团" and nxt[:1] == "员")


def _gaps(text: str, ents) -> list[tuple[int, int]]:
    out, pos = [], 0
    for s, e, *_ in sorted(ents):
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _attach_titles(text: str, ents: list[tuple[int, int, str, str]], titles: Gazetteer):
    # titles are looked up only in the text between names, so 国务院总理 gives ORG + 总理
    free = titles.find_in(text, _gaps(text, ents))
    accepted: list[tuple[int, int, str, str]] = []
    for _ in range(3):
        by_end = {e: lab for s, e, lab, _src in ents + accepted}
        by_start = {s: lab for s, e, lab, _src in ents + accepted}
        rest = []
        for s, e, _lab in free:
            left = by_end.get(s)
            left_sep = by_end.get(s - 1) if s > 0 and text[s - 1] in "、 　" else None
            right = by_start.get(e)
            right_sep = by_start.get(e + 1) if e < len(text) and text[e] in " 　、" else None
            comrade = text[s - 3 : s] == "同志为" and by_end.get(s - 3) == "PERSON"  # 以习近平同志为总书记的
            ok = (
                comrade
                or left in _LEFT_OF_TITLE
                or left_sep == "TITLE"
                or right == "PERSON"
                or (right_sep == "PERSON" and text[e] != "、")
                or (right_sep == "TITLE" and text[e] == "、")
            )
            if ok:
                accepted.append((s, e, "TITLE", "gazetteer"))
            else:
                rest.append((s, e, _lab))
        if len(rest) == len(free):
            break
        free = rest
    return sorted(ents + accepted)


class EntityRecognizer:
    """Rules + gazetteers + optional backend. ``__call__(text) -> list of contract entity dicts``."""

    def __init__(self, backend=None, user_dicts: Iterable[str | Path] = (), use_gazetteers: bool = True):
        user_dicts = [str(p) for p in user_dicts]
        self.backend = backend
        self.use_gazetteers = use_gazetteers
        self.gazetteer = default_gazetteer() if use_gazetteers else Gazetteer()
        self.titles = title_gazetteer(user_dicts) if use_gazetteers else Gazetteer()
        self.user = Gazetteer()
        for path in user_dicts:
            self.user.add_all((n, lab) for n, lab in load_tsv(path, allow_o=True) if lab != "TITLE")

    def spans(self, text: str, words: list[str] | None = None, spaces: list[bool] | None = None,
              model_spans: list[tuple[int, int, str]] | None = None) -> list[tuple[int, int, str, str]]:
        """``(start, end, label, source)`` spans, sorted, non-overlapping."""
        cands: list[tuple[int, int, str, str, int]] = []
        cands += [(s, e, lab, "user", 4) for s, e, lab in self.user.find(text)]
        cands += [(s, e, lab, "pattern", 3) for s, e, lab in find_patterns(text)]
        # media and departments before a title (三峡日报, 新闻宣传司司长) rank with the gazetteer's names,
        # so a longer model ORG (人民日报国际部) still wins over them
        cands += [(s, e, lab, "gazetteer", 2) for s, e, lab in find_web_orgs(text)]
        gaz = self.gazetteer.find(text) if self.use_gazetteers else []
        blockers = blocker_names() if self.use_gazetteers else frozenset()
        vetoed: set[tuple[int, int]] = set()
        for s, e, lab in gaz:
            # O entries from not_names stay candidates: they block model spans inside them (中华民族);
            # a blocker (隆重庆, 巴黎城) vetoes only the place name it straddles (重庆, 黎城), so
            # the model's 巴黎 in 巴黎城边 stands
            if lab == "O" and text[s:e] in blockers:
                vetoed.update(x for x in ((s + 1, e), (s, e - 1)) if text[x[0] : x[1]] in gpe_names())
                continue
            # a known programme in quotes: the quotes belong to the span (“东数西算”)
            if lab in ("PROGRAM", "LAW") and s > 0 and e < len(text) and text[s - 1] == "“" and text[e] == "”":
                s, e = s - 1, e + 1
            cands.append((s, e, lab, "gazetteer", 2))
        bodies = compose_bodies(text, gaz) + (bare_level_bodies(text) if self.use_gazetteers else [])
        bodies += company_names(text, gaz)
        bodies += merge_bodies(text, [(s, e, lab) for s, e, lab in gaz if lab == "ORG"] + bodies)
        cands += [(s, e, lab, "gazetteer", 2) for s, e, lab in bodies]
        named = [(s, e, lab) for s, e, lab in gaz if lab != "O"] + bodies
        cands += [(s, e, lab, "pattern", 3) for s, e, lab in events_after_names(text, named)]
        for m in QUOTED_RE.finditer(text):
            if self.gazetteer.get(m.group(1)) == "PROGRAM":
                cands.append((m.start(), m.end(), "PROGRAM", "pattern", 3))
        if model_spans is None and self.backend is not None:
            if words is None and hasattr(self.backend, "predict_text"):
                model_spans = self.backend.predict_text(text)  # character taggers need no tokens
            else:
                if words is None:
                    words, spaces = _tokens(text)
                model_spans = self.backend.predict(words, spaces)
        model_spans = sorted(model_spans or ())
        places = {(s, e) for s, e, lab in model_spans if lab in ("LOC", "GPE") and e - s == 1}
        for s, e, lab in model_spans:
            if (s, e) in vetoed:
                continue
            if (s, e) in places:
                # one-character place abbreviations (来华, 访美, 中苏) are GPEs; 中 only in pairs
                # (中苏, 中印), since 中方/中外/中文 are not names
                paired = (s - 1, s) in places or (e, e + 1) in places
                if paired or (text[s] in ABBREVIATIONS and text[s] != "中"):
                    cands.append((s, e, "GPE", "model", 2))
                continue
            if (lab == "ORG" and e - s >= 5 and text[e - 1] not in ORG_FINAL) or (
                lab == "LOC" and e - s >= 4 and text[e - 1] not in LOC_FINAL
            ):
                continue
            # a span across a document verb joins two names (…办公厅转发市医保局); a group of people
            # named after a place is not an organisation (台湾同胞, 香港居民)
            if _NOT_IN_NAMES.search(text, s, e) or (lab == "ORG" and text.endswith(PEOPLE_GROUPS, s, e)):
                continue
            cands.append((s, e, relabel_place(text[s:e], lab), "model", 2))
        model_places = [(s, e, lab) for s, e, lab, src, _p in cands if src == "model" and lab in ("GPE", "LOC")]
        cands += [(s, e, lab, "pattern", 3) for s, e, lab in sport_events_after(text, model_places)]
        # v3 classes built on names: zones (长江中游城市群), institutions (上海交通大学), ministry departments
        cands += [(s, e, lab, "gazetteer", 2) for s, e, lab in names_after_places(text, named + model_places)]
        if model_places:  # events after the model's places (the gazetteer's were added above)
            have = {(c[0], c[1]) for c in cands}
            cands += [(s, e, lab, "pattern", 3) for s, e, lab in events_after_names(text, named + model_places)
                      if (s, e) not in have]
        cands = _drop_inside_open_titles(text, cands)
        cands = [c for c in cands if c[3] == "user" or not (c[2] == "ORG" and _word_goes_on(text, c[0], c[1]))]
        chosen = [c for c in resolve(cands, text) if c[2] != "O"]
        if self.use_gazetteers:
            chosen = repair_persons(text, chosen)
            # 县政府党组|成员: a party group's member is the body + the title 党组成员 (as 国家发展改革委|党组成员)
            chosen = [(s, e - 2, lab, src) if lab == "ORG" and e - s > 4 and text.endswith(("党组", "党委"), s, e)
                      and text.startswith(("成员", "书记", "副书记"), e) else (s, e, lab, src)
                      for s, e, lab, src in chosen]
            chosen = _attach_titles(text, chosen, self.titles)
        return chosen

    def model_spans_many(self, texts: list[str]) -> list[list[tuple[int, int, str]] | None]:
        """The backend's spans for each text in one batched call where the backend has one
        (``predict_texts``: the fast tagger); ``None`` per text otherwise (``spans`` then asks
        the backend itself)."""
        if self.backend is None or not hasattr(self.backend, "predict_texts") or not texts:
            return [None] * len(texts)
        return self.backend.predict_texts(texts)

    def spans_many(self, texts: list[str]) -> list[list[tuple[int, int, str, str]]]:
        """``[self.spans(t) for t in texts]``, the statistical backend called once for all."""
        return [self.spans(t, model_spans=m) for t, m in zip(texts, self.model_spans_many(texts))]

    def __call__(self, text: str, words: list[str] | None = None, spaces: list[bool] | None = None) -> list[dict]:
        return [
            {"start": s, "end": e, "text": text[s:e], "label": lab}
            for s, e, lab, _src in self.spans(text, words, spaces)
        ]


def _tokens(text: str) -> tuple[list[str], list[bool]]:
    from spacy.vocab import Vocab

    from policytext.tokenizer import CharTokenizer

    doc = CharTokenizer(Vocab())(text)
    return [t.text for t in doc], [bool(t.whitespace_) for t in doc]
