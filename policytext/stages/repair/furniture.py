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
                  "返回顶部", "扫一扫", "languages", "收藏本页", "加入收藏", "设为首页", "扫码关注", "视力保护色",
                  "手机版", "无障碍浏览")
_WIDGET_WEAK = ("在手机打开当前页", "手机打开当前页", "打开当前页", "在手机打开", "用手机扫描二维码", "扫描二维码",
                "二维码", "当前页", "手机", "打开", "本页", "窗口", "我要", "纠错", "微信公众号", "公众号", "关注我们", "关注",
                "扫码", "在", "分享", "微信", "微博", "qq空间", "qq", "大", "中", "小", "默认", "关闭", "返回", "顶部",
                "收藏", "english", "繁体", "简体", "繁", "简", "手机版", "无障碍", "登录", "注册", "搜索")
_COPYRIGHT = re.compile(
    r"版权所有|copyright|©|icp备|icp证|公网安备|主办单位\s*[:：]|承办单位\s*[:：]|网站标识码|未经.{0,8}(许可|授权).{0,8}(转载|复制|使用)"
    r"|网站地图|联系我们|关于我们|违法和不良信息举报|网络传播视听节目许可证",
    re.I,
)
_ROLE = r"(?:责任编辑|责编|编辑|审核|校对|编审|监制|值班编辑|实习编辑|审校|初审|复审|终审)"
_BYLINE = re.compile(
    rf"^[【\[(（]?\s*{_ROLE}\s*[:：]\s*[^\s】\]）):：]{{1,20}}(?:\s+{_ROLE}\s*[:：]\s*[^\s】\]）):：]{{1,20}}){{0,3}}\s*[】\])）]?$")
_RELATED = re.compile(r"^[【\[]?(相关链接|相关新闻|相关阅读|相关文章|延伸阅读|推荐阅读|热点推荐|友情链接|热点新闻"
                      r"|点击排行|热门排行|阅读排行|热门文章|最新文章|图片新闻|免责声明|隐私政策|网站声明)[】\]]?\s*[:：]?$")
_PREV_NEXT = re.compile(r"^[-•·*\s]*(上一篇|下一篇|上一个|下一个|上一条|下一条|上一页|下一页|上篇|下篇)\s*[:：>]")
_BREADCRUMB_HEAD = re.compile(r"^(首页|当前位置|您的位置|您当前的位置|所在位置)\s*[:：>›»]")
_SPAM_STRONG = ("无码", "18禁", "成人视频", "成人电影", "色情网站", "色情视频", "黄色网站", "博彩", "娱乐城", "百家乐",
                "老虎机", "真人荷官", "六合彩", "时时彩", "av在线", "伦理片", "三级片", "一本道", "福利视频", "福利网站",
                "约炮", "裸聊", "澳门赌", "葡京", "午夜福利", "av网站", "亚洲av", "棋牌游戏", "网上赌", "开户送",
                "威尼斯人", "彩金", "线上娱乐", "真人娱乐")
# contact spam: 加微信abc123领取, 添加QQ：12345678 (an ID, not 微信公众号)
_CONTACT_SPAM = re.compile(r"(?:加|添加|联系|咨询)\s*(?:微信|薇信|威信|vx|v信|wx|qq|扣扣)号?\s*[:：]?\s*[a-z0-9][a-z0-9_-]{4,}")
# a web address in a short line with a spam word: 注册送38元 www.example.vip
_DOMAIN = re.compile(r"(?:www\.)?[a-z0-9-]{2,}\.(?:com|net|cc|vip|top|xyz|me|tv|app|bet|club|info)\b")
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
    if any(w in low for w in _SPAM_STRONG) or _CONTACT_SPAM.search(low):
        return True
    weak = sum(1 for w in _SPAM_WEAK if w in low)
    return weak >= 3 or (weak >= 1 and _DOMAIN.search(low) is not None)


_CODE_START = re.compile(
    r"^(?:var |let |const |function\b|document\.|window\.|\$\(|jQuery|if\s*\(|for\s*\(|return\b|try\s*\{|\}|\{|//|/\*|\*/"
    r"|\(function|[.#]?[A-Za-z][\w-]*(?:[ \t]+[\w.#-]+){0,6}[ \t]*\{[^}]*:[^}]*\}?|@media|@import|<!\[CDATA\[|\]\]>)",
    re.ASCII,
)


def _is_code(s: str) -> bool:
    """A line of JavaScript or CSS left by a scraper (``var _hmt = _hmt || [];``)."""
    if not _CODE_START.match(s):
        return False
    ascii_share = sum(1 for c in s if c.isascii()) / len(s)
    punct = sum(s.count(c) for c in ";{}()=")
    return ascii_share >= 0.8 and (punct >= 2 or s in ("}", "{", "});", "})();"))


def classify_line(line: str) -> str | None:
    """The furniture kind of one line, or None for content."""
    s = line.strip().strip("\u00a0\u3000 ")
    if _ZERO_WIDTH_RE.search(s):
        s = _ZERO_WIDTH_RE.sub("", s).strip()  # ``掃一\u200b掃``: zero-width characters hide nothing
    if not s:
        return None
    if _is_code(s):
        return "markup_residue"
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
    if _RELATED.match(low):
        return "nav_menu"
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
    # statements inside a block of script lines (``hm.src = "...";`` between ``(function() {`` and ``})();``)
    for i, (_, _, g) in enumerate(lines):
        t = g.strip()
        if kinds[i] is None and t and t[-1] in ";{}," and sum(1 for c in t if c.isascii()) / len(t) >= 0.8 and \
                any(0 <= j < len(lines) and kinds[j] == "markup_residue" and _is_code(lines[j][2].strip())
                    for j in (i - 1, i + 1)):
            kinds[i] = "markup_residue"
    # the line of links right after a "相关链接：" label (a link list the html stage put on one line)
    for i, (_, _, g) in enumerate(lines):
        if kinds[i] != "nav_menu" or not _RELATED.match(_simp(g.strip())):
            continue
        j = i + 1
        while j < len(lines) and not lines[j][2].strip():
            j += 1
        if j < len(lines) and kinds[j] is None:
            nxt = lines[j][2].strip()
            if len(nxt.split()) >= 2 and len(nxt) <= 120 and not _SENT_PUNCT.search(nxt):
                kinds[j] = "nav_menu"
    edits = []
    for (s, e, g), k in zip(lines, kinds):
        if k is None:
            if len(g) <= 200 and _INLINE_HINT.search(g):  # metadata lines are short; paragraphs are not
                edits.extend(_inline_widgets(g.rstrip("\r\n"), s))
            continue
        edits.append(Edit(s, e, "", kind=k, confidence=0.9, removal=True,
                          note=f"page furniture ({k.replace('_', ' ')}): {g.strip()[:40]!r}"))
    return edits


_SIZES = r"(?:\s*[\[【(（]?\s*[大中小]\s*[\]】)）]?){3}"
_INLINE_WIDGET = re.compile(
    rf"[ \t\u3000\u00a0]*(?:[【\[]\s*字[体體号號]\s*[:：]?{_SIZES}\s*[】\]]|字[体體号號]\s*[:：]{_SIZES}"
    r"|[【\[]\s*(?:打印本[页頁]|打印正文|我要打印|打印|[关關][闭閉]窗口|[关關][闭閉]本[页頁]|[关關][闭閉]|收藏本[页頁]|收藏|"
    r"(?:我要)?[纠糾][错錯]|[返回]{2}[顶頂]部|分享到?)\s*[】\]]"
    r"|(?:[【\[]\s*[大中小]\s*[】\]]\s*){3})"
)
# an editor credit at the end of a kept line (来源：新华社 责任编辑：李四): only on lines that are not sentences
_EDITOR = re.compile(r"[ \t\u3000\u00a0]*[【\[(（]?[ \t]*[责責]任[编編][辑輯][ \t]*[:：][ \t]*[\u4e00-\u9fffA-Za-z·]{1,8}[ \t]*[】\])）]?(?=\s|$)")
# page counters (点击数：88, 瀏覽次數：1234): only on lines that are not sentences
_COUNTER = re.compile(
    r"[ \t\u3000\u00a0]*(?:[点點][击擊](?:[数數]|量)?|[阅閱][读讀](?:[数數]|量|次[数數])|[浏瀏][览覽](?:次[数數]|量)|[访訪][问問](?:量|次[数數]))"
    r"\s*[:：]\s*\d+(?:\s*次)?(?=\s|$|[【\[|｜])"
)


def _inline_widgets(line: str, offset: int) -> list[Edit]:
    """Widgets inside a kept line (``2024-03-05 来源：新华社 【字体：大 中 小】【打印】``): removed.

    Only the bracketed forms and ``字体：大 中 小`` are taken: they never occur in body text.
    """
    if _ZERO_WIDTH_RE.search(line):  # look through zero-width characters
        keep = [i for i, c in enumerate(line) if c not in _ZERO_WIDTH]
        view = "".join(line[i] for i in keep)
    else:
        keep, view = range(len(line)), line
    found = list(_INLINE_WIDGET.finditer(view))
    if not _BODY_PUNCT.search(view):
        found += list(_COUNTER.finditer(view)) + list(_EDITOR.finditer(view))
    found.sort(key=lambda m: m.start())
    out, last = [], -1
    for m in found:
        if m.start() < last:
            continue
        last = m.end()
        kind = "template_byline" if m.re is _EDITOR else "share_widget"
        out.append(Edit(offset + keep[m.start()], offset + keep[m.end() - 1] + 1, "", kind=kind,
                        confidence=0.9, removal=True, note=f"page furniture (inline {kind.replace('_', ' ')}): {m.group().strip()!r}"))
    return out


_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_INLINE_HINT = re.compile(r"[【\[]|字[体體号號]|[点點][击擊]|[阅閱][读讀]|[浏瀏][览覽]|[访訪][问問]|[责責]任[编編]")
