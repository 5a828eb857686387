"""Local government bodies composed from place names and word lists.

上海市房屋管理局 (place + department), 市工业和信息化局 (a bare 省/市/县/区/州/旗 at the start of a
clause + department), 国家税务总局上海市税务局 (a body + its local branch), 上海黄金交易所 (place +
name + 交易所/有限公司/领导小组). Each function returns ``(start, end, "ORG")`` candidates for
:mod:`.combine`. The department words are data: ``data/department_stems.txt`` and
``data/department_endings.txt``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .gazetteer import DATA_DIR, Gazetteer, body_suffixes, division_names, gpe_names, load_tsv, regions

__all__ = ["bare_level_bodies", "company_names", "compose_bodies", "department_re", "match_department", "merge_bodies"]

# single-character department endings that the next character turns into a common word
# (局面, 委托, 办理, 处理, 站在, 所有, 院长): the ending is not taken there
DEPT_BLOCKED_NEXT = {
    "局": "面势限部", "委": "托屈婉任派实身员", "办": "理法好事学成得公案结件", "处": "理置罚于分在境",
    "站": "在点稳位长", "所": "有以在得属述谓需长", "院": "长士校落子", "厅": "堂长",
}
_BARE_LEVELS = "省市县区州旗"
_BARE_LEVEL_RE = re.compile(f"[{_BARE_LEVELS}]")
# a bare level character starts a body (市工业和信息化局) only at the start of a clause or after these
_BARE_LEFT_CHARS = frozenset("、，。；：“”‘’《》（）()〈〉 　\n\t,.;:!?！？\"'[]【】|由经向和与及或报请送并对据将从在为被给同")
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


#: Longest department name looked for (the longest listed ones have 12-16 characters); bounds the
#: work per call, so a run of stems without an ending costs linear time in total.
DEPT_MAX_CHARS = 32


@lru_cache(maxsize=1)
def _department_words() -> tuple[frozenset[str], tuple[int, ...], tuple[tuple[str, str], ...]]:
    stems = frozenset(n for n, _ in load_tsv(DATA_DIR / "department_stems.txt"))
    endings = sorted((n for n, _ in load_tsv(DATA_DIR / "department_endings.txt")), key=len, reverse=True)
    blocked = tuple((e, DEPT_BLOCKED_NEXT.get(e, "") if len(e) == 1 else "") for e in endings)
    return stems, tuple(sorted({len(x) for x in stems}, reverse=True)), blocked


def match_department(text: str, pos: int) -> int | None:
    """End of the longest department name starting at ``pos``, or None: what :func:`department_re`
    describes (stems, joined by 和/与, then an ending), found by a left-to-right scan over the
    positions the stems reach (at most :data:`DEPT_MAX_CHARS` characters), not by the regex, whose
    nested alternation backtracks exponentially on a run of stems with no ending (issue #18)."""
    stems, lengths, endings = _department_words()
    limit = min(len(text), pos + DEPT_MAX_CHARS)
    reach = [False] * (limit - pos + 1)  # reach[i]: a chain of stems ends at pos + i
    best = None
    for i in range(limit - pos + 1):
        p = pos + i
        if i == 0 or reach[i]:
            starts = [p]
            if i and p < limit and text[p] in "和与":
                starts.append(p + 1)
            for q in starts:
                for n in lengths:
                    if q + n <= limit and text[q:q + n] in stems:
                        reach[q + n - pos] = True
        if reach[i]:
            for e, blocked_next in endings:
                if text.startswith(e, p) and p + len(e) <= limit:
                    nxt = text[p + len(e) : p + len(e) + 1]
                    if not (blocked_next and nxt and nxt in blocked_next):
                        best = max(best or 0, p + len(e))
                        break
    return best


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


@lru_cache(maxsize=1)
def _branch_places() -> frozenset[str]:
    """Names that open a local branch's name: places and regions (华北), built once."""
    return gpe_names() | regions()


def merge_bodies(text: str, orgs: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Bodies that name a branch of another body are one ORG: a central body + a local one
    (国家税务总局 + 上海市税务局, 国家能源局 + 华北能源监管局), a company + a place + 分公司
    (…有限责任公司 + 上海分公司); 中共 + body + 委员会/党委/党组 (中共国家税务总局上海市税务局委员会)."""
    by_start: dict[int, int] = {}
    places = _branch_places()
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
_COMPANY_STOP = frozenset("的在和与及是为把被了、，。；：,.;:!?设建办开将对向从由成立")


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
