"""Pattern classes found on scraped policy web pages (issue 20, web-page dev set).

Pure functions on the folded text (see :func:`.rules.find_patterns`), each a class of spans, not a
list of the pages' names:

EVENT
  * numbered local sessions: 县十六届第9次政府常务会议, 十六届县人民政府第52次常务会议,
    市政府第12次常务会议, 省委九届十一次、十二次全会, 市委十二届九次全体会议, 县政府党组（扩大）会议;
    the CPPCC written 中国政协十二届四次会议;
  * a quoted series name + 发布会/座谈会/论坛…: “权威部门话开局”系列主题新闻发布会;
  * meetings named with their scope (全市经济工作会议, 全县…推进会议) and names joined with 暨
    after 召开/举行 (乡村振兴工作暨第四季度农村经济运行推进会), the joined parts one span;
  * an event + its press conference: 十四届全国人大一次会议新闻发布会 (see :func:`extend_events`).
ORG
  * a department right before its head's title: 新闻宣传司司长, 救灾司副司长, 办公厅主任;
  * media names ending in 新闻网/日报/晚报/时报/商报/都市报 after a non-character or 据/来源.
PERSON
  * a name after a byline or credit word: 责任编辑：宗元, 主持人 申展利, 通讯员黄玉莲;
  * a transcript speaker at a line start: 王国庆：… / ▲束珏婷：… (a surname first, the name written
    at least twice in the text), or after a title and a space: 新闻发言人 付凌晖：.
LAW
  * a document title on a line of its own (福建省一体化公共数据体系建设方案, ending in 方案/规划/意见/
    办法/条例…), joined with the line before it when the title is broken over two lines, and with a
    following edition line ``(2025年版)``;
  * the document after 印发 without 《》, up to 的通知/的意见; a plan, outline, regulation or
    measures named right after 出台/印发/颁布 (出台碳达峰行动方案; not 出台相关实施意见).
LOC
  * infrastructure named after a chain of one-character place abbreviations: 港珠澳大桥, 京沪高铁,
    沪宁高铁, 京港澳高速.
Not names (label O, they block the model's spans inside them)
  * document numbers: 雄安发〔2021〕5号, 国发〔2023〕16号, 闽政办〔2023〕29号.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .rules import CN_DIGIT, HAN

__all__ = ["find_web_patterns", "extend_events", "surnames"]

_N = rf"(?:\d+|[{CN_DIGIT}]+)"
_TERM = r"(?:十[一二三四五六七八九]?|二十[一二三四五六七八九]?|[一二三四五六七八九])"
_LEVEL = "省市县区州旗"
_PUNCT = r"\s，。、；：！？,.;:!?（）()“”‘’\"'《》【】\[\]|/"

_EVENT_RES = [
    (re.compile(p), key)
    for p, key in [
        # 县十六届第9次政府常务会议, 十六届县人民政府第52次常务会议, 市政府第12次常务会议
        (rf"[{_LEVEL}]?(?:{_TERM}届)?[{_LEVEL}]?(?:人民政府|政府)?第{_N}次(?:政府)?常务会议", "常务会议"),
        (rf"[{_LEVEL}]?{_TERM}届[{_LEVEL}]?(?:人民政府|政府)第?{_N}次常务会议", "常务会议"),
        # 省委九届十一次、十二次全会, 市委十二届九次全体会议
        (rf"[{_LEVEL}]委(?:第?{_TERM}届)?(?:[{CN_DIGIT}]+次、)*[{CN_DIGIT}]+次(?:全体会议|全会)", "全"),
        # 县政府党组（扩大）会议, 市委常委会（扩大）会议
        (rf"[{_LEVEL}](?:政府|人民政府|委)?党组(?:[（(]扩大[）)])?会议", "党组"),
        # the CPPCC as 中国政协: 中国政协十二届四次会议
        (rf"中国政协第?{_TERM}届(?:全国委员会)?第?[{CN_DIGIT}]+次(?:全体)?会议", "中国政协"),
        # “权威部门话开局”系列主题新闻发布会
        (r"“[^“”\n]{2,20}”(?:系列)?(?:主题)?(?:新闻发布会|发布会|记者会|座谈会|研讨会|论坛|峰会)", "”"),
    ]
]
_MEETING = (r"(?:工作会议|推进会议|现场会议|视频会议|专题会议|调度会议|部署会议|会议|推进会|座谈会|现场会|调度会"
            r"|部署会|动员会|视频会|工作会|专题会|培训会|观摩会|联席会|交流会)")
_DEPT_STOP = "的了在是和与及等为对把将被从向到也都而或并于以由就还又再所其之该各个这那同请会"
# a meeting's name holds no function word and no verb of attending (全国政协主席…出席…会议 is no name)
_MEET_BODY = rf"(?:(?!出席|主持|参加|召开|举行|会见|讲话|表示|指出|强调)[^{_PUNCT}\d{_DEPT_STOP.replace('会', '')}])"
# 全市经济工作会议; 全县…推进会议暨县委农村工作领导小组会议 (暨 joins two names into one event)
_SCOPED_MEETING_RE = re.compile(
    rf"(?:(?<=[{_PUNCT}和及与在])|(?<=召开|举行|参加|出席|传达|学习|贯彻|落实)|^)"
    rf"全(?:国|省|市|县|区|州|旗){_MEET_BODY}{{2,30}}?{_MEETING}(?:暨{_MEET_BODY}{{2,30}}?{_MEETING})*", re.M)
_JOINED_MEETING_RE = re.compile(
    rf"(?<=召开|举行)({_MEET_BODY}{{2,30}}?暨{_MEET_BODY}{{2,30}}?{_MEETING})")
_EVENT_TAIL_RE = re.compile(r"(?:首场)?(?:新闻发布会|记者会|开幕会|闭幕会)")

# a department right before its head's title: 新闻宣传司司长, 救灾司副司长 (the name may not hold a
# verb or function word)
_DEPT_END_RE = re.compile(r"(?:司|局|厅|办公室|办公厅)(?=副?(?:司长|局长|厅长|主任))")
# media: 三峡日报, 吉隆坡新闻网 (a non-character or 据/来源 before; ≤ 8 characters before the ending)
_MEDIA_END_RE = re.compile(r"(?:新闻网|日报|晚报|早报|晨报|都市报|时报|商报|青年报|法制报|法治报)(?![社道])")
_PUNCT_SET = frozenset(" \t\n\u3000，。、；：！？,.;:!?（）()“”‘’\"'《》【】[]|/")

_CREDIT_WORDS = r"(?:责任编辑|编辑|记者|通讯员|主持人|摄影|摄像|撰稿|作者|审核|校对|实习生|见习记者)"
_NAME_END = re.compile(rf"(?=[{_PUNCT}]|$)")
_CREDIT_RE = re.compile(rf"(?:{_CREDIT_WORDS}([:：])|(?:记者|通讯员|实习生|摄影))[ \t\u3000]*(?=[{HAN}])")
# after 责任编辑： the name ends the credit: a bracket, a space or the line end (记者：谈北大，… is a question)
_CREDIT_CLOSE = re.compile(r"(?=[)）\]】 \t\u3000\n/|]|$)")
_HAN_RUN = re.compile(rf"[{HAN}]+")
_CREDIT_TAIL = frozenset("摄报")
_NOT_NAME_WORDS = frozenset("简介 时间 地点 主题 来源 作者 记者 编辑 摘要 关键词 标签 附件 电话 邮编 地址 网址 备注 说明 "
                            "全文 原文 提示 注意 答 问 会议 主任 领导 专家 记者问 回答 总结 目标 单位 部门 团队 同志 表示 获悉 采访 "
                            "报道 了解 介绍 发现 观察 调查 手记 札记 随笔 点评 连日来 连日 近日 日前 今天 昨天 今日 昨日".split())
# a speaker after a title and a space: 新闻发言人 付凌晖：, 【…新闻发言人 李颖】
_TITLED_SPEAKER_RE = re.compile(
    rf"(?:发言人|司长|局长|部长|主任|主持人|书记|市长|县长|省长|区长|厅长|处长|院长|主席|委员|代表|记者)"
    rf"[ \t\u3000]+([{HAN}]{{2,3}})(?=[:：】\]）)])")
# one run of blanks, then an optional bullet and its blanks: two blank runs side by side with only
# an optional mark between them would try every split of a long blank line (quadratic)
_LINE_SPEAKER_RE = re.compile(rf"^[ \t\u3000]*(?:[▲■●◆★][ \t\u3000]*)?([{HAN}]{{2,3}})[:：]", re.M)

_TITLE_END = r"(?:实施方案|工作方案|行动方案|方案|规划纲要|规划|实施意见|指导意见|意见|办法|条例|细则|若干措施|措施|举措|纲要|计划|指南|规定|决定|准则|要点)"
_EDITION = r"[（(][^（()）\n]{2,12}[）)]"
_TITLE_LINE_RE = re.compile(
    rf"^[ \t\u3000]*((?![一二三四五六七八九十\d]+[、.．]|[（(][一二三四五六七八九十\d]+[）)])[^{_PUNCT}\n]{{4,60}}?{_TITLE_END}(?:{_EDITION})?)[ \t\u3000]*$",
    re.M)
_TITLE_HEAD_RE = re.compile(rf"^[ \t\u3000]*([^{_PUNCT}\n]{{4,30}})[ \t\u3000]*\n", re.M)
_EDITION_LINE_RE = re.compile(rf"\n[ \t\u3000]*({_EDITION})[ \t\u3000]*$", re.M)
_ORG_LINE_END = ("委员会", "政府", "办公室", "办公厅", "厅", "局", "部", "院", "会", "委", "处", "司", "中心", "号")
# a document named after 出台/印发 without 《》: 出台碳达峰行动方案, 出台法治政府建设实施纲要 (not 出台相关实施意见)
_ISSUED_DOC_RE = re.compile(
    rf"(?<=出台|印发|颁布)(?!相关|有关|具体|一系列|一批|若干|配套|新的|多项|系列|了)([^{_PUNCT}\n\d]{{2,20}}?"
    r"(?:行动方案|实施方案|工作方案|实施纲要|规划纲要|纲要|条例|管理办法|实施办法|实施细则))"
    rf"(?=[{_PUNCT}]|$)", re.M)
_PRINTED_DOC_RE = re.compile(rf"印发(?![《〈])((?:关于)?[^{_PUNCT}\n]{{4,40}}?(?:{_EDITION})?)的(?:通知|意见|函)")

_FACILITY_ABBR = "京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川黔滇藏陕甘宁青新港澳台珠杭甬穗深汉蓉昆厦榕邕连汕湛"
_FACILITY_RE = re.compile(
    rf"[{_FACILITY_ABBR}]{{2,4}}(?:高速铁路|高速公路|城际铁路|客运专线|高铁|高速|铁路|大桥|跨海大桥|隧道|运河)")

_NOT_NAME_RES = [
    re.compile(p)
    for p in [
        # document numbers: 国发〔2023〕16号, 雄安发〔2021〕5号, 京政办发[2016]26号
        rf"[{HAN}]{{1,8}}[〔\[［(（]\d{{4}}[〕\]］)）]第?\d+号",
    ]
]


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Common Chinese surnames (one and two characters), from ``data/surnames.txt``."""
    from .gazetteer import DATA_DIR

    out = set()
    for line in open(DATA_DIR / "surnames.txt", encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        out.update(line.split())
    return frozenset(out)


@lru_cache(maxsize=1)
def _gazetteer():
    """The shipped gazetteer, built once (a speaker label that is a listed name is no person)."""
    from .gazetteer import shipped_gazetteer

    return shipped_gazetteer()


def _is_name(name: str) -> bool:
    sn = surnames()
    return name not in _NOT_NAME_WORDS and (name[:1] in sn or name[:2] in sn)


def find_events(text: str) -> list[tuple[int, int, str]]:
    # each pattern runs only where its fixed part occurs (most paragraphs hold none)
    out = {(m.start(), m.end(), "EVENT") for pat, key in _EVENT_RES if key in text for m in pat.finditer(text)}
    if "全" in text:
        out.update((m.start(), m.end(), "EVENT") for m in _SCOPED_MEETING_RE.finditer(text))
    if "暨" in text:
        out.update((m.start(1), m.end(1), "EVENT") for m in _JOINED_MEETING_RE.finditer(text))
    return sorted(out)


def extend_events(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """An EVENT + its press conference is one EVENT (十四届全国人大一次会议新闻发布会)."""
    out = []
    for s, e, lab in spans:
        m = _EVENT_TAIL_RE.match(text, e) if lab == "EVENT" else None
        if m:
            out.append((s, m.end(), "EVENT"))
    return out


def _name_start(text: str, end: int, lo: int, hi: int, left_words: str = "") -> int | None:
    """Start of a name of ``lo``–``hi`` Han characters (no function word or verb) ending at ``end``
    and opening after punctuation, a line start or one of ``left_words``; the shortest such."""
    for k in range(lo, hi + 1):
        s = end - k
        if s < 0:
            return None
        c = text[s]
        if not ("\u3400" <= c <= "\u9fff") or c in _DEPT_STOP or c in "过几年好当":
            return None
        if s == 0 or text[s - 1] in _PUNCT_SET or text[s - 1] in left_words:
            return s
    return None


def find_orgs(text: str) -> list[tuple[int, int, str]]:
    """Departments right before their head's title (新闻宣传司司长) and media names (三峡日报)."""
    out = []
    for m in _DEPT_END_RE.finditer(text):
        s = _name_start(text, m.start(), 2, 8, "有")
        if s is not None:
            out.append((s, m.end(), "ORG"))
    gaz = _gazetteer()
    for m in _MEDIA_END_RE.finditer(text):
        s = _name_start(text, m.start(), 2, 6, "据自载")
        # a listed name inside is the gazetteer's (做好|人民日报, 部分省区|人民日报)
        if s is not None and not any(gaz.get(text[i : m.end()]) for i in range(s + 1, m.start() - 1)):
            out.append((s, m.end(), "ORG"))
    return out


def find_persons(text: str) -> list[tuple[int, int, str]]:
    """Names after credit words (责任编辑：宗元) and transcript speakers at a line start (王国庆：)."""
    out = []
    for m in _CREDIT_RE.finditer(text):
        for k in (3, 2):
            name = text[m.end() : m.end() + k]
            if k == 3 and name[-1:] in _CREDIT_TAIL:  # 记者李舸摄: the name ends before 摄
                continue
            end_re = _CREDIT_CLOSE if m.group(1) else _NAME_END
            if (len(name) == k and _HAN_RUN.fullmatch(name)
                    and (end_re.match(text, m.end() + k) is not None or text[m.end() + k : m.end() + k + 1] in _CREDIT_TAIL)
                    and _is_name(name)):
                out.append((m.end(), m.end() + k, "PERSON"))
                break
    gaz = _gazetteer()
    for m in _TITLED_SPEAKER_RE.finditer(text):
        if _is_name(m.group(1)):
            out.append((m.start(1), m.end(1), "PERSON"))
    for m in _LINE_SPEAKER_RE.finditer(text):
        name = m.group(1)
        if _is_name(name) and gaz.get(name) is None and text.count(name) >= 2:
            out.append((m.start(1), m.end(1), "PERSON"))
    return out


def find_titles(text: str) -> list[tuple[int, int, str]]:
    """Document titles on a line of their own (LAW), and documents named after 印发 without 《》."""
    out = []
    heads = {m.end(): (m.start(1), m.group(1)) for m in _TITLE_HEAD_RE.finditer(text)}
    for m in _TITLE_LINE_RE.finditer(text):
        s, e = m.start(1), m.end(1)
        title = m.group(1)
        if title.startswith(("关于印发", "印发")):
            continue
        head = heads.get(m.start())
        if head and not head[1].endswith(_ORG_LINE_END) and not title.startswith("关于") \
                and not any(c.isdigit() for c in head[1]):
            s = head[0]
        nxt = _EDITION_LINE_RE.match(text, e)
        if nxt and not m.group(0).rstrip().endswith(("）", ")")):
            e = nxt.end(1)
        out.append((s, e, "LAW"))
    out += [(m.start(1), m.end(1), "LAW") for m in _PRINTED_DOC_RE.finditer(text)]
    out += [(m.start(1), m.end(1), "LAW") for m in _ISSUED_DOC_RE.finditer(text)]
    return out


def find_facilities(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "LOC") for m in _FACILITY_RE.finditer(text)]


def find_not_names(text: str) -> list[tuple[int, int, str]]:
    if "号" not in text:
        return []
    return [(m.start(), m.end(), "O") for pat in _NOT_NAME_RES for m in pat.finditer(text)]


def find_web_patterns(text: str) -> list[tuple[int, int, str]]:
    """All classes of this module but :func:`find_orgs` (label ``O`` spans block names inside them).
    :func:`find_orgs` is called by the combiner: its names rank with the gazetteer's, so a longer
    model ORG (人民日报国际部) still wins."""
    return (find_events(text) + find_persons(text) + find_titles(text)
            + find_facilities(text) + find_not_names(text))
