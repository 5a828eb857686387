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

Local bodies are composed from names and word lists (``compose_bodies``, ``bare_level_bodies``,
``merge_bodies``, ``company_names``): 上海市房屋管理局, 市工业和信息化局, 国家税务总局上海市税务局,
上海黄金交易所. Names inside a cut title (a 《 never closed on its line) are dropped.

The model has no GPE label: its LOC spans that are known divisions/countries, or end in a
division suffix (省/市/县/区/自治区/州/国), become GPE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .gazetteer import (
    DATA_DIR,
    Gazetteer,
    blocker_names,
    body_suffixes,
    default_gazetteer,
    division_names,
    gpe_names,
    load_tsv,
    regions,
    title_gazetteer,
)
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


# single-character department endings that the next character turns into a common word
# (局面, 委托, 办理, 处理, 站在, 所有, 院长): the ending is not taken there
DEPT_BLOCKED_NEXT = {
    "局": "面势限部", "委": "托屈婉任派实身员", "办": "理法好事学成得公案结件", "处": "理置罚于分在境",
    "站": "在点稳位长", "所": "有以在得属述谓需长", "院": "长士校落子", "厅": "堂长",
}
_BARE_LEVELS = "省市县区州旗"
_BARE_LEVEL_RE = re.compile(f"[{_BARE_LEVELS}]")
# a bare level character starts a body (市工业和信息化局) only at the start of a clause or after these
_BARE_LEFT_CHARS = frozenset("、，。；：“”‘’《》（）()〈〉 　\n\t由经向和与及或报请送并对据将从在为被给同")
_BARE_LEFT_WORDS = ("会同", "联合", "转发", "印发", "协同", "配合", "商请", "提请")


@lru_cache(maxsize=1)
def department_re() -> re.Pattern:
    """Department names built from ``department_stems.txt`` + ``department_endings.txt``:
    工业和信息化局, 房屋管理局, 国有资产监督管理委员会, 建设工程安全质量监督总站, 民防办公室."""
    stems = sorted((n for n, _ in load_tsv(DATA_DIR / "department_stems.txt")), key=len, reverse=True)
    endings = sorted((n for n, _ in load_tsv(DATA_DIR / "department_endings.txt")), key=len, reverse=True)
    stem = "(?:" + "|".join(map(re.escape, stems)) + ")"
    ends = []
    for e in endings:
        blocked = DEPT_BLOCKED_NEXT.get(e) if len(e) == 1 else None
        ends.append(re.escape(e) + (f"(?![{blocked}])" if blocked else ""))
    return re.compile(f"{stem}(?:[和与]?{stem})*(?:{'|'.join(ends)})")


def match_department(text: str, pos: int) -> int | None:
    """End of a department name starting at ``pos`` (see :func:`department_re`), or None."""
    m = department_re().match(text, pos)
    return m.end() if m else None


def _body_end(text: str, end: int, suffixes: Gazetteer) -> int | None:
    """End of the body name that follows a division name ending at ``end``: a listed suffix
    (人民政府, 发改委) or a department name (房屋管理局), whichever is longer; a government's own
    department may follow it (石家庄市人民政府 + 国有资产监督管理委员会)."""
    m = suffixes.match_at(text, end)
    dept = match_department(text, end)
    best = max([x for x in (m[0] if m else None, dept) if x is not None], default=None)
    if best is not None and text[end:best].endswith("政府"):
        more = match_department(text, best)
        if more is not None:
            best = more
    if best is not None and text[best - 1] in "局厅委" and text.startswith(("办公室", "办公厅"), best):
        best += 3  # 河北省住房和城乡建设厅 + 办公室
    return best


def bare_level_bodies(text: str) -> list[tuple[int, int, str]]:
    """A bare 省/市/县/区/州/旗 + body name at the start of a clause is an ORG: 市工业和信息化局,
    省委宣传部, 县人民政府办公室, 区卫生健康委员会 (会同市财政局, 转发市发展改革委…)."""
    suffixes = body_suffixes()
    out = []
    for level in _BARE_LEVEL_RE.finditer(text):
        i = level.start()
        if i > 0 and text[i - 1] not in _BARE_LEFT_CHARS and not text.endswith(_BARE_LEFT_WORDS, 0, i):
            continue
        end = _body_end(text, i + 1, suffixes)
        if end is None and text[i + 1 : i + 2] == "委":  # 省委, 市委 (+ 宣传部)
            end = i + 2
        if end is None:
            continue
        sub = _SUBUNITS.match_at(text, end)
        if sub is not None and text[end - 1] in "委府":
            end = sub[0]  # 市委 + 宣传部, 县人民政府 + 办公室
        out.append((i, end, "ORG"))
    return out


def merge_bodies(text: str, orgs: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Bodies that name a branch of another body are one ORG: a central body + a local one
    (国家税务总局 + 上海市税务局, 国家能源局 + 华北能源监管局), a company + a place + 分公司
    (…有限责任公司 + 上海分公司); 中共 + body + 委员会/党委/党组 (中共国家税务总局上海市税务局委员会)."""
    by_start: dict[int, int] = {}
    places = gpe_names() | regions()
    for s, e, _lab in orgs:
        if any(text[s : s + k] in places for k in range(2, min(e - s, 8))):  # a local branch
            by_start[s] = max(e, by_start.get(s, e))
    out = []
    for s, e, _lab in sorted(orgs):
        end = e
        while end in by_start and by_start[end] > end:
            end = by_start[end]
        if end > e:
            out.append((s, end, "ORG"))
        start = s - 2 if s >= 2 and text[s - 2 : s] == "中共" else None
        if start is not None:
            m = re.match(r"委员会|党委|党组", text[end:])
            if m:
                out.append((start, end + m.end(), "ORG"))
    return out


_COMPANY_RE = re.compile(r"(?P<stem>[\u4e00-\u9fff]{1,12}?)(?:有限责任公司|股份有限公司|有限公司|交易所|交易中心"
                         r"|领导小组办公室|领导小组|联席会议办公室|指挥部)")
_COMPANY_STOP = frozenset("的在和与及是为把被了、，。；：设建办开将对向从由成立")


def company_names(text: str, places: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A place name + up to 12 characters + 有限公司/交易所/交易中心/领导小组(办公室)/指挥部 is an ORG
    (上海黄金交易所, 上海票据交易所股份有限公司, 中国证券登记结算有限责任公司, 河北省民营经济领导小组);
    + a place + 分公司/分行 too. Verbs and function words may not stand between (在上海设立交易所)."""
    out = []
    for s, e, lab in places:
        if lab != "GPE":
            continue
        m = _COMPANY_RE.match(text, e)
        if not m or any(c in _COMPANY_STOP for c in m.group("stem")):
            continue
        end = m.end()
        while True:  # 股份有限公司 after 交易所 (上海票据交易所股份有限公司)
            more = re.match(r"股份有限公司|有限责任公司|有限公司", text[end:])
            if not more:
                break
            end += more.end()
        gpes = gpe_names()
        for k in (2, 3, 4):  # + 上海分公司, + 石家庄中心支行
            branch = re.match(r"分公司|中心支行|分行|支行", text[end + k :])
            if text[end : end + k] in gpes and branch:
                end += k + branch.end()
                break
        out.append((s, end, "ORG"))
    return out


def compose_bodies(text: str, gaz: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A run of adjacent GPE names followed by a body suffix is an ORG (上海市黄浦区 + 人民政府).

    ``中共`` right before the run belongs to the body (中共上海市委宣传部).
    """
    suffixes = body_suffixes()
    divisions = division_names()
    out = []
    i = 0
    n = len(gaz)
    while i < n:
        s, e, lab = gaz[i]
        if lab == "ORG" and text[s:e] == "中共" and i + 1 < n and gaz[i + 1][0] == e and gaz[i + 1][2] == "ORG":
            # 中共 + 上海市委 (+ 宣传部)
            end = gaz[i + 1][1]
            m = _SUBUNITS.match_at(text, end)
            out.append((s, m[0] if m else end, "ORG"))
            i += 2
            continue
        if lab == "ORG":
            m = _SUBUNITS.match_at(text, e)
            if m is not None and text[e - 1] == "委":
                out.append((s, m[0], "ORG"))  # 上海市委 + 宣传部
            longer = _extend_listed_body(text, s, e, divisions, suffixes)
            if longer is not None:
                out.append((s, longer, "ORG"))  # 上海市卫生健康委 + 员会
        if lab == "LOC" and text[s:e] in regions():
            end = match_department(text, e)
            if end is not None:
                out.append((s, end, "ORG"))  # 华北 + 能源监管局
        if lab != "GPE" or text[s:e] not in divisions:
            i += 1
            continue
        j = i
        while j + 1 < n and gaz[j + 1][2] == "GPE" and gaz[j + 1][0] == gaz[j][1]:
            j += 1
        end = gaz[j][1]
        b = _body_end(text, end, suffixes)
        m = (b, "ORG") if b is not None else None
        if m is None and text[end : end + 1] in ("省", "市", "区", "县", "州"):
            # short form + level char + suffix: 四川 + 省 + 商务厅 is matched as 四川省 already,
            # but 凉山 + 州 + 人民政府 needs the level char
            b = _body_end(text, end + 1, suffixes)
            m = (b, "ORG") if b is not None else None
        if m is None and text[end : end + 1] == "委" and text[end - 1] in "省市区县州":
            m = (end + 1, "ORG")  # 邯郸市 + 委
            sub = _SUBUNITS.match_at(text, end + 1)
            if sub is not None:
                m = sub
        if m is not None:
            sub = _SUBUNITS.match_at(text, m[0])
            if sub is not None and sub[0] - m[0] == 3:  # + 办公室/办公厅
                m = sub
            start = s - 2 if s >= 2 and text[s - 2 : s] == "中共" else s
            out.append((start, m[0], "ORG"))
        i = j + 1
    return out


def _extend_listed_body(text: str, s: int, e: int, divisions: frozenset[str], suffixes: Gazetteer) -> int | None:
    """A listed local body (division + suffix, 上海市卫生健康委) that the text continues into a longer
    body name (上海市卫生健康委员会): the longer end, else None."""
    for k in range(min(e - s - 1, 9), 1, -1):
        if text[s : s + k] in divisions:
            end = _body_end(text, s + k, suffixes)
            return end if end is not None and end > e else None
    return None


_SUBUNITS = Gazetteer((n, "ORG") for n in ("宣传部", "组织部", "统战部", "政法委", "办公厅", "办公室", "网信办"))


_EVENT_FILLERS = ("领导人", "合作", "国际", "数字经济", "新闻局", "首次")
_EVENT_WORDS = re.compile(r"领导人非正式会议|领导人会晤|领导人峰会|领导人会议|非正式会议|系列会议|部长级会议|高级别会议"
                          r"|首脑会议|新闻发布会|峰会|会晤|论坛(?:部长级会议|峰会|年会)?|博览会")
_DISASTER = re.compile(r"(?:特大)?(?:地震|洪灾)(?![局台站所部办中心带区])")


_SPORT_EVENTS = re.compile(r"冬残奥会|残奥会|冬奥会|奥运会|亚运会|世博会|大运会|世运会")
# a cut title: 《 + at most 40 characters up to the end of the line, no sentence punctuation
_OPEN_TITLE = re.compile(r"《[^《》\n，。；！？]{1,40}$", re.M)


def sport_events_after(text: str, places: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A place the model found + 奥运会/残奥会/亚运会… is one EVENT (东京奥运会, 里约奥运会)."""
    out = []
    for s, e, _lab in places:
        m = _SPORT_EVENTS.match(text, e)
        if m:
            out.append((s, m.end(), "EVENT"))
    return out


def _drop_inside_open_titles(text: str, cands: list) -> list:
    """Text after a 《 that is never closed (a cut document title: 关于印发《上海市绿化…) is part of
    a title, not a run of separate names: candidates inside it are dropped (user entries stay)."""
    inside = bytearray(len(text))  # 1 for the characters of a cut title, from its 《 to the line end
    for m in _OPEN_TITLE.finditer(text):
        inside[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    if not any(inside):
        return cands
    return [c for c in cands if c[3] == "user" or not (inside[c[0]] and inside[c[1] - 1])]


def _filler_stops(text: str, pos: int) -> list[int]:
    """Positions reached by skipping filler words from ``pos`` (``pos`` first, furthest last)."""
    stops = [pos]
    changed = True
    while changed:
        changed = False
        for w in _EVENT_FILLERS:
            if text.startswith(w, pos):
                pos += len(w)
                stops.append(pos)
                changed = True
    return stops


def _event_word_after(text: str, pos: int) -> re.Match | None:
    """A meeting word after ``pos`` and any fillers (a filler may begin the word: 领导人会议)."""
    for p in reversed(_filler_stops(text, pos)):
        m = _EVENT_WORDS.match(text, p)
        if m:
            return m
    return None


def events_after_names(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A body or place name followed by a meeting word is an EVENT (上海合作组织峰会,
    二十国集团领导人杭州峰会, 国务院新闻办新闻发布会); a run of places + 地震 is an EVENT
    (四川芦山地震). Only a few filler words (领导人, 合作, 国际…) and one more name may stand
    between: after fillers (…领导人杭州峰会), after a dash (澜沧江－湄公河合作首次领导人会议) or right after a
    one-character place (中非合作论坛部长级会议, 亚欧首脑会议); so 北京举行新闻发布会 is not an event."""
    out = []
    spans = sorted(spans)
    starts = {s: (e, lab) for s, e, lab in spans}
    gpes = gpe_names()
    for s, e, lab in spans:
        if lab not in ("ORG", "GPE", "LOC"):
            continue
        pos = _filler_stops(text, e)[-1]
        dash = pos == e and text[e : e + 1] in "－—-" and (e + 1) in starts
        if dash:
            pos = e + 1
        nxt = starts.get(pos)
        if nxt and nxt[1] in ("GPE", "LOC", "ORG") and (pos > e or e - s == 1):
            pos = nxt[0]
        else:
            pos = e
        m = _event_word_after(text, pos)
        if m:
            out.append((s, m.end(), "EVENT"))
            continue
        if lab == "GPE":
            end = e
            while True:  # 甘肃 + 岷县 + 漳县 + 地震; 四川 + 芦山 + 地震 (芦山 may be unlisted)
                nxt = starts.get(end)
                if nxt and nxt[1] == "GPE":
                    end = nxt[0]
                    continue
                break
            for extra in (0, 2, 3):
                m = _DISASTER.match(text, end + extra)
                if m and (extra == 0 or text[end : end + extra] in gpes or "\u4e00" <= text[end] <= "\u9fff"):
                    chunk = text[end : end + extra]
                    if not any(c in "的在和与及、，。" for c in chunk):
                        out.append((s, m.end(), "EVENT"))
                    break
    return out


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
    free = []
    for a, b in _gaps(text, ents):
        free += [(a + s, a + e, lab) for s, e, lab in titles.find(text[a:b])]
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
            cands.append((s, e, relabel_place(text[s:e], lab), "model", 2))
        model_places = [(s, e, lab) for s, e, lab, src, _p in cands if src == "model" and lab in ("GPE", "LOC")]
        cands += [(s, e, lab, "pattern", 3) for s, e, lab in sport_events_after(text, model_places)]
        if model_places:  # events after the model's places (the gazetteer's were added above)
            have = {(c[0], c[1]) for c in cands}
            cands += [(s, e, lab, "pattern", 3) for s, e, lab in events_after_names(text, named + model_places)
                      if (s, e) not in have]
        cands = _drop_inside_open_titles(text, cands)
        chosen = [c for c in resolve(cands, text) if c[2] != "O"]
        if self.use_gazetteers:
            chosen = _attach_titles(text, chosen, self.titles)
        return chosen

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
