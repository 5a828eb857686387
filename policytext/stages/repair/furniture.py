"""Page furniture and injected spam: whole lines a reader would not keep.

Each line is classified on its own (share widgets, breadcrumbs, template bylines, copyright
footers, spam, lines left with only bullets after tag removal), then short lines next to a
navigation menu or widget are taken with it (menu section titles such as ``新聞`` between menu
rows). Headlines, datelines, ``來源:`` lines, speaker labels and body text are kept: a line with
sentence punctuation or more than a few words is never called a menu. Every dropped line is an
``Edit(removal=True)`` whose ``kind`` and ``note`` give the reason.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...alignment import Edit

__all__ = ["find_page_furniture", "classify_line"]

_LINE = re.compile(r"[^\n]*\n?")
_SENT_PUNCT = re.compile(r"[。，,；;！!？?“”\"]")
_BODY_PUNCT = re.compile(r"[。，；]")
_SEP = re.compile(r"[\s:：|｜•·●◆■▪►»›>/\\\-—_【】\[\]（）()]+")

_WIDGET_STRONG = ("分享到", "分享至", "链接已复制", "复制链接", "字体", "字号", "打印本页", "打印", "关闭窗口",
                  "返回顶部", "扫一扫", "languages", "收藏本页", "加入收藏", "设为首页")
_WIDGET_WEAK = ("分享", "微信", "微博", "qq空间", "qq", "大", "中", "小", "默认", "关闭", "返回", "顶部",
                "收藏", "english", "繁体", "简体", "繁", "简", "手机版", "无障碍", "登录", "注册", "搜索")
_COPYRIGHT = re.compile(
    r"版权所有|copyright|©|icp备|icp证|公网安备|主办单位\s*[:：]|承办单位\s*[:：]|网站标识码|未经.{0,8}(许可|授权).{0,8}(转载|复制|使用)"
    r"|网站地图|联系我们|关于我们|违法和不良信息举报|网络传播视听节目许可证",
    re.I,
)
_BYLINE = re.compile(r"^[【\[(（]?\s*(责任编辑|责编|编辑|审核|校对|编审|监制|值班编辑|实习编辑)\s*[:：]\s*[^\s】\]）)]{1,20}\s*[】\])）]?$")
_PREV_NEXT = re.compile(r"^[-•·*\s]*(上一篇|下一篇|上一个|下一个|上一条|下一条|上一页|下一页|上篇|下篇)\s*[:：>]")
_BREADCRUMB_HEAD = re.compile(r"^(首页|当前位置|您的位置|您当前的位置|所在位置)\s*[:：>›»]")
_SPAM_STRONG = ("无码", "18禁", "成人视频", "成人电影", "色情网站", "色情视频", "黄色网站", "博彩", "娱乐城", "百家乐",
                "老虎机", "真人荷官", "六合彩", "时时彩", "av在线", "伦理片", "三级片", "一本道", "福利视频", "福利网站",
                "约炮", "裸聊", "澳门赌", "葡京", "午夜福利", "av网站", "亚洲av", "棋牌游戏", "网上赌", "开户送")
_SPAM_WEAK = ("午夜", "福利", "免费观看", "在线观看", "高清", "网站", "视频", "影院", "日韩", "欧美", "国产", "精品",
              "亚洲", "无删减", "av", "破解", "彩票", "注册送", "下载")


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover
        return None


def _simp(s: str) -> str:
    cc = _t2s()
    return (cc.convert(s) if cc is not None else s).lower()


_HEADING = re.compile(r"^(#|第[一二三四五六七八九十百零〇两\d]+[章节条编部分款项])")


_MENU_SEP = re.compile(r"(?:\s+|\s*[|｜]\s*)+")


def _is_menu(s: str) -> bool:
    # menu items are separated by spaces or bars (首页 | 要闻 | 政务 | 财经)
    tokens = [t for t in _MENU_SEP.split(s) if t]
    if len(tokens) < 4 or _SENT_PUNCT.search(s) or _HEADING.match(s):
        return False
    if any(len(t) == 1 for t in tokens) or not all(re.search(r"[\u4e00-\u9fffA-Za-z]", t) for t in tokens):
        return False
    if any(len(t) > 6 for t in tokens):
        return False
    if sum(len(t) for t in tokens) / len(tokens) > 4.5:
        return False
    return sum(1 for t in tokens if re.search(r"[\u4e00-\u9fffA-Za-z]", t)) >= len(tokens) - 1


def _is_widget(low: str) -> bool:
    rest = low
    strong = False
    for w in _WIDGET_STRONG:
        if w in rest:
            strong = True
            rest = rest.replace(w, " ")
    if not strong:
        return False
    for w in _WIDGET_WEAK:
        rest = rest.replace(w, " ")
    return not _SEP.sub("", rest)


def _is_spam(low: str) -> bool:
    if len(low) > 60 or re.search(r"[。，；]", low):
        return False
    if any(w in low for w in _SPAM_STRONG):
        return True
    return sum(1 for w in _SPAM_WEAK if w in low) >= 3


def classify_line(line: str) -> str | None:
    """The furniture kind of one line, or None for content."""
    s = line.strip().strip("\u00a0\u3000 ")
    if not s:
        return None
    if not _SEP.sub("", s):
        return "markup_residue" if re.search(r"[•·●|｜]", s) else None
    if len(s) > 120:
        return None
    if len(s) > 20 and (_BODY_PUNCT.search(s) or (len(s) > 60 and _SENT_PUNCT.search(s))):
        return None  # a sentence: none of the rules below can fire on it
    low = _simp(s)
    if _is_spam(low):
        return "spam_line"
    if _is_widget(low):
        return "share_widget"
    if _PREV_NEXT.match(low):
        return "prev_next_link"
    if _BYLINE.match(low):
        return "template_byline"
    if _BREADCRUMB_HEAD.match(low) or (len(re.findall(r"[>›»]", s)) >= 2 and not re.search(r"[<《]", s)
                                           and not _SENT_PUNCT.search(s) and len(s) <= 80):
        return "breadcrumb"
    if _COPYRIGHT.search(low) and len(s) <= 80 and not re.search(r"[。，；：:;,]\s*$|[。，；]", s):
        return "copyright_footer"
    if _is_menu(s):
        return "nav_menu"
    return None


def _is_short_label(s: str) -> bool:
    s = s.strip().strip("\u00a0\u3000 ")
    return bool(s) and len(s) <= 12 and len(s.split()) <= 2 and not _SENT_PUNCT.search(s) and not re.search(r"[:：0-9]", s)


_MENU_LIKE = ("nav_menu", "share_widget", "breadcrumb", "markup_residue")


def find_page_furniture(text: str) -> list[Edit]:
    lines = [(m.start(), m.end(), m.group()) for m in _LINE.finditer(text) if m.end() > m.start()]
    kinds = [classify_line(g) for _, _, g in lines]
    # short labels between menu/widget lines belong to the menu (section titles of a mega menu)
    changed = True
    while changed:
        changed = False
        for i, (_, _, g) in enumerate(lines):
            if kinds[i] is not None or not _is_short_label(g):
                continue
            nb = []
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(lines) and not lines[j][2].strip().strip("\u00a0\u3000 "):
                    j += step
                nb.append(kinds[j] if 0 <= j < len(lines) else None)
            if all(k in _MENU_LIKE for k in nb) and "nav_menu" in nb or nb.count("nav_menu") == 2:
                kinds[i] = "nav_menu"
                changed = True
    edits = []
    for (s, e, g), k in zip(lines, kinds):
        if k is None:
            continue
        edits.append(Edit(s, e, "", kind=k, confidence=0.9, removal=True,
                          note=f"page furniture ({k.replace('_', ' ')}): {g.strip()[:40]!r}"))
    return edits
