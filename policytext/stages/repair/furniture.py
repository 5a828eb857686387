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
import unicodedata
from functools import lru_cache

from ...alignment import Edit

__all__ = ["find_page_furniture", "find_inline_spam", "classify_line", "rule_kinds", "split_lines"]

_LINE = re.compile(r"[^\n]*\n?")
_SENT_PUNCT = re.compile(r"[。，,；;！!？?“”\"]")
_BODY_PUNCT = re.compile(r"[。，；]")
_SEP = re.compile(r"[\s:：|｜•·●◆■▪►»›>/\\\-—_【】\[\]（）()]+")
# small patterns of the rules below, compiled once
_LETTER = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_STOP_MARK = re.compile(r"[。；！？]")
_ANY_PUNCT = re.compile(r"[:：,，。;；!?！？]")
_BULLET = re.compile(r"[•·●|｜]")
_CRUMB_SEP = re.compile(r"[>›»]")
_ANGLE_OPEN = re.compile(r"[<《]")
_LATIN1 = re.compile(r"[\u0080-\u00ff]")
_CLAUSE_OR_END = re.compile(r"[。，；：:;,]\s*$|[。，；]")
_SENTENCE_END = re.compile(r"[。；;]\s*$")
_LANG_SEP = re.compile(r"[\s|｜/·•]+")
_DATELINE_WORD = re.compile(r"来源|发布|日期|时间|作者")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
_COLON_DIGIT = re.compile(r"[:：0-9]")

_WIDGET_STRONG = ("分享到", "分享至", "链接已复制", "复制链接", "字体", "字号", "打印本页", "打印", "关闭窗口",
                  "返回顶部", "扫一扫", "languages", "收藏本页", "加入收藏", "设为首页", "扫码关注", "视力保护色",
                  "手机版", "无障碍浏览")
_WIDGET_WEAK = ("在手机打开当前页", "手机打开当前页", "打开当前页", "在手机打开", "用手机扫描二维码", "扫描二维码",
                "二维码", "当前页", "手机", "打开", "本页", "窗口", "我要", "纠错", "微信公众号", "公众号", "关注我们", "关注",
                "扫码", "在", "分享", "微信", "微博", "qq空间", "qq", "大", "中", "小", "默认", "关闭", "返回", "顶部",
                "收藏", "朋友圈", "×", "✕", "english", "繁体", "简体", "超大", "较大", "特大", "标准", "放大", "缩小", "列印", "默认", "|", "繁", "简", "手机版", "无障碍", "登录", "注册", "搜索")
_COPYRIGHT = re.compile(
    r"版权所有|copyright|©|icp备|icp证|公网安备|主办单位\s*[:：]|承办单位\s*[:：]|网站标识码|未经.{0,8}(许可|授权).{0,8}(转载|复制|使用)"
    r"|网站地图|联系我们|关于我们|违法和不良信息举报|网络传播视听节目许可证|^技术支持\s*[:：]|^(?:本站|网站)?支持\s*ipv6",
    re.I,
)
_ROLE = r"(?:责任编辑|责编|编辑|审核|校对|编审|监制|值班编辑|实习编辑|审校|初审|复审|终审)"
_BYLINE = re.compile(
    rf"^[【\[(（]?\s*{_ROLE}\s*[:：]\s*[^\s】\]）):：]{{1,20}}(?:(?:\s+|\s*[|｜/]\s*){_ROLE}\s*[:：]\s*[^\s】\]）):：|｜/]{{1,20}}){{0,3}}\s*[】\])）]?$")
_RELATED = re.compile(r"^[【\[]?\s*(相关链接|相关新闻|相关阅读|相关文章|相关报道|相关内容|相关素材|相关推荐|延伸阅读|推荐阅读|热点推荐|友情链接|热点新闻"
                      r"|今日热点新闻推荐|今日热点|猜你喜欢|推荐视频|相关视频|为你推荐|精彩推荐|新闻排行榜?|排行榜|滚动新闻|最新新闻|公告栏"
                      r"|点击排行|热门排行|阅读排行|热门文章|最新文章|图片新闻|免责声明|隐私政策|网站声明|文章目录|历年会议"
                      r"|往期推荐|往期回顾|精彩回顾|热门推荐|编辑推荐|今日推荐|最新推荐|图文推荐|专题推荐|相关专题|热门专题"
                      r"|热门标签|相关标签|热门话题|本周热点|热点关注"
                      r"|(?:今日|本周|热点|热门|最新|精彩|相关|编辑|往期|图文|专题|为你|为您)(?:新闻|文章|视频|资讯|内容|图片|专题)?"
                      r"(?:推荐|排行榜?|回顾))\s*[】\]]?\s*[:：]?$")
# the label of a related-links block named after the article (``…，让世界更了解中国的相关文章``)
_RELATED_TAIL = re.compile(r"的(?:相关|相關)(?:文章|新闻|阅读|报道|内容|推荐|视频)\s*[:：]?$")
# labels of page widgets: a whole short line that is only a prompt (click / download / view the
# original / video description / log-in / comments / ads)
_WIDGET_LINE = re.compile(
    r"^[\s•·|｜>»›\[【(（]*(?:"
    r"(?:[\u4e00-\u9fff]{1,6}\s*[:：]\s*)?点击(?:查看|下载|进入|阅读|播放|此处|这里|收听|更多|可缩放大小)[^。，；]{0,20}"
    r"|(?:查看|阅读|浏览)(?:原文|全文|更多|最新[^。，；]{0,10})|展开全文|全文阅读|原文链接|原文地址|全文地址|本[题文]链接|正文复制"
    r"|(?:视频|节目)(?:简介|介绍|描述)|打开文本图片集|分享缩略图|用手机看|手机看|手机版(?:选单|菜单)?|电脑版|移动版"
    r"|[\u4e00-\u9fff]{0,12}(?:移动版|手机版|触屏版|电脑版|客户端|app)|下载地址[:：]?[^。，；]{0,12}|友善列印|列印|字级设定|字级|字体大小|调整字体"
    r"|adjust font size|font size|print|e-?mail|share|comments?|\d+\s*comment\(s\)[^。]{0,40}"
    r"|ask about this (?:article|story)|answers? (?:for|to) your question[^。]{0,60}|read (?:the )?full (?:story|article|text)"
    r"|read more|view (?:the )?original|back to top|sign (?:in|up)|log ?in|subscribe|related (?:articles|news|stories)"
    r"|(?:全文|原文|本文|文章|本页|本帖|帖子)?(?:地址|链接|网址)\s*[:：]\s*(?:https?://|www\.)\S+"
    r"|评论\s*\d+\s*人参与[,，]?\s*\d+\s*条评论|已有\s*\d+\s*人参与[^。]{0,20}|本版得分[^。]{0,30}|参与评分人数[^。]{0,10}"
    r"|(?:安卓|苹果|ios|android|hd)版本[^。，；]{0,30}|应用涉及权限[^。]{0,12}|(?:app)?隐私政策[:：][^。]{0,10}|开发者[:：][^。，；]{0,30}"
    r"|立享专属优惠|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?\s*星期[一二三四五六日天]"
    r"|(?:会员|用户)?登录|(?:请|请先|您需要|需要|您)?(?:登录|登陆)后[^。；]{0,20}|(?:新用户)?注册|退出登录|个人中心|站内搜索|搜索|search|选择(?:特殊符号|搜索类型)|请输入搜索[^。]{0,6}"
    r"|(?:app|客户端)下载[^。，；]{0,16}|下载(?:app|客户端)[^。，；]{0,10}|扫(?:描)?(?:二维码|码)(?:下载|关注|分享)[^。，；]{0,16}"
    r"|扫描关注[^。]{0,20}|评论(?:一下)?|最热评论|最新评论|发表评论|我要评论|还没有评论[^。]{0,12}|收藏|点赞|订阅|转发|分享|举报"
    r"|广告|正在加载[^。]{0,8}|加载更多|返回|关闭|放大\s*缩小\s*默认|按日期检索|上个月|下个月|电子报刊阅读器|我给版面打分"
    r"|(?:阅读|浏览|访问|点击)(?:次数|量|数)?[:：]?\s*(?:正在读取)?\s*\d*\s*次?|\d+\s*(?:人看过|次浏览|次阅读|人阅读|人参与|条评论|人气)"
    r"|(?:阅读|浏览|播放|点击|观看)(?:次数|量|数)?[:：]?\s*\d+(?:\.\d+)?\s*(?:万|w|k)\+?\s*次?"
    r"|\d+(?:\.\d+)?\s*(?:万|w|k)?\+?\s*(?:人看过|次浏览|次阅读|人阅读|阅读|浏览|次播放|播放|观看)"
    r"|返回(?:列表|首页|上一页|上级|目录|主页)|(?:网站|我要)?纠错|(?:我要|在线)投稿"
    r"|(?:官方)?(?:微信|微博|抖音|快手|头条号|今日头条|小程序|视频号|公众号|手机报)(?:号|账号|矩阵)?"
    r"|[(（]?阅读全部[^。]{0,20}(?:登录|注册)[^。]{0,4}[)）]?|(?:阅读|查看)更多[^。，；]{0,10}"
    r")[\s\]】)）>»:：!！]*$",
    re.I,
)
# credits and notices that are not the article: publisher/editor/reviewer/designer lines, image
# copyright and repost notices, customer-service and complaint contacts, validity dates
_CREDIT_LINE = re.compile(
    r"^[【\[(（]?\s*(?:设计|制作|出品|策划|统筹|监制|美编|视觉|发布人|发布者|审核人|签发|校审|责编|编审|作者|来源|单位)\s*[:：]?\s*$"
    r"|^[\w\u4e00-\u9fff]{2,14}(?:出品|制作|监制)\s*$"
    r"|^(?:设计|制作|策划|统筹|监制|美编|视觉|校对|审校|签发|发布人|审核人)\s*[:：]\s*[\u4e00-\u9fff·、，, ]{1,30}$"
)
_NOTICE = re.compile(
    r"如有侵权|侵权请联系|侵犯您的(?:权益|版权)|版权归原作者|仅供交流学习|不代表本站观点|本站部分文字内容|本文来自网络|网友投稿"
    r"|(?:图片|图像|视频)(?:来源|来自)(?:于)?网络|未经授权禁止|禁止转载|转载请注明|严禁转载|版权声明"
    r"|(?:客服|投诉|举报|新闻线索|线索|服务|咨询|违法和不良信息举报)(?:提供)?(?:电话|热线|邮箱|qq)"
    r"|^(?:有效期|有效性|生效日期|失效日期|废止日期|时效性)\s*[:：]"
    r"|您的浏览器不支持|请开启浏览器|javascript|按住ctrl|请利用键盘|利用键盘|ctrl\s*\+|改变字型大小"
    r"|打开微信|分享至朋友圈|分享到朋友圈|转载自其它媒体|转载目的在于|不代表本网|本网注明|的一切内容[^。]{0,60}仅供"
    r"|未经[^。]{0,30}(?:许可|授权|同意)[^。]{0,10}(?:转载|复制|使用|链接)"
    r"|主管\s*[\u4e00-\u9fff]{2,20}主办|主办\s*[\u4e00-\u9fff]{2,20}承办|^[\u4e00-\u9fff]{2,12}(?:网|报|台)?(?:政府)?辅助网站$"
    r"|^[\u4e00-\u9fff]{2,12}(?:数字报纸?|电子版)$|^国内统一刊号|^-?end-?$|^ad\d+_\d+"
    r"|^answers? (?:for|to) your question|will be displayed here"
    r"|长按(?:识别|扫描)?(?:图中)?二维码|仅代表作者(?:本人|个人)?(?:的)?观点|更多精彩(?:内容|资讯|新闻)[^。]{0,6}(?:请|敬请)?关注"
)
_SPAM_BLURB = re.compile(
    r"(?:小编|本站|我们)[^。]{0,12}(?:为你|为您|特意|精心)[^。]{0,24}(?:整理|准备|收集|精选|汇编)[^。]{0,60}"
    r"(?:范文|文章|资料|文库|模板)"
)
# a line that is nothing but a link or a language switch (``https://www.gov.cn/``, ``EN``, ``App | 中文 |``)
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.I)
_LANGS = frozenset("en cn zh english 中文 简体 繁体 繁體 簡體 简 繁 日本语 日本語 한국어 français español русский deutsch "
                   "app us europe africa asia americas 手机 登录 注册 search 搜索".split())
# a line of metadata fields with a page counter (类别:… 时间:… 点击:133 标签:…)
_FIELD = re.compile(r"[\u4e00-\u9fff]{2,4}\s*[:：]")
_COUNTER_FIELD = re.compile(r"(?:点击|浏览|阅读|访问|人气)(?:次数|量|数)?\s*[:：]\s*\d*")
# notices that are furniture even as whole sentences (repost and copyright disclaimers, share
# instructions, browser hints); contact numbers and "未经许可" are not: laws speak of them too
_NOTICE_SENTENCE = re.compile(
    r"如有侵权|侵权请联系|侵犯您的(?:权益|版权)|版权归原作者|仅供交流学习|不代表本站观点|本站部分文字内容|本文来自网络|网友投稿"
    r"|转载自其它媒体|转载目的在于|不代表本网|本网注明|打开微信|分享至朋友圈|分享到朋友圈|利用键盘|ctrl\s*\+|改变字型大小"
    r"|您的浏览器不支持|请开启浏览器|的一切内容[^。]{0,150}仅供[^。]{0,20}(?:阅读|使用)"
    r"|(?:本文|文章|部分内容|以上内容|内容)[^。，,]{0,8}由\s*ai\s*(?:生成|总结|整理|辅助|创作|撰写)|一键收听|点击[「“\"]?(?:听新闻|收听)"
    r"|仅代表作者(?:本人|个人)?(?:的)?观点|不代表本(?:平台|号|站|网|刊)(?:的)?(?:立场|观点)|长按(?:识别|扫描)?(?:图中)?二维码"
    r"|更多精彩(?:内容|资讯|新闻)[^。]{0,6}(?:请|敬请)?关注"
)
_EMPTY_FIELD = re.compile(
    r"^[•·\-*\s]*(?:索引号|主题分类|主题词|分类|来源|信息来源|发文机构|发布机构|成文日期|发文字号|文号|发文日期|发布日期|有效性|"
    r"时效性|内容概述|单位|作者|时间|浏览量|浏览次数|阅读量|点击|点击数|字号|标签|所属栏目|栏目|体裁|组配分类|公开方式|公开范围)"
    r"\s*[:：]\s*$"
)
_KEYWORDS = re.compile(r"^[【\[]?\s*(?:关键词|关键字|标签|主题词)\s*[】\]]?\s*[:：]")
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
# gambling/lottery site names that spam mirrors put in place of a page's own name or subject
_SPAM_SITE = ("娱乐首页", "娱乐网站", "娱乐官网", "pk10", "best365", "bet365", "bets365", "36365", "体育彩票网", "彩票网",
              "官网入口", "网页版登录", "手机官网", "官方网站入口", "xml地图", "开云", "亚博", "必威", "乐鱼体育", "九游")
_SPAM_WEAK = ("黄色", "激情", "无码", "a片", "人妻", "丝袜", "久久", "一区二区", "不卡", "成人", "色色", "免费视频", "午夜", "福利", "免费观看", "在线观看", "高清", "网站", "视频", "影院", "日韩", "欧美", "国产", "精品",
              "亚洲", "无删减", "av", "破解", "彩票", "注册送", "下载", "在线播放", "乱码", "中文字幕", "蜜桃", "福利片", "污污")


@lru_cache(maxsize=8192)
def _simp(s: str) -> str:
    from ...chinese_script import to_simplified

    return to_simplified(s).lower()


_HEADING = re.compile(r"^(#|第[一二三四五六七八九十百零〇两\d]+[章节条编部分款项])")
_HEADING_ITEM = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇两\d]+[章节条编部分款项]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")


_MENU_SEP = re.compile(r"(?:\s+|\s*[|｜]\s*)+")


# words of site navigation: a row of short words is a menu only with one of these (a row of
# keywords or terms, 数据要素 公共数据 开发利用, is content)
_NAV_WORDS = frozenset(
    "首页 主页 网站首页 要闻 新闻 时政 国际 国内 财经 经济 体育 娱乐 科技 军事 教育 健康 文化 旅游 汽车 房产 图片 视频 专题 "
    "评论 理论 论坛 博客 社区 互动 服务 办事 公开 政务 政策 解读 信息公开 政务公开 政府信息公开 通知公告 公告 动态 领导 机构 "
    "概况 关于我们 联系我们 网站地图 english 繁体 简体 繁體 簡體 手机版 登录 注册 搜索 高层 港澳 台湾 地方 社会 法治 "
    "直播 滚动 热点 独家 原创 观点 访谈 数据 下载 客户端 app 微博 微信 抖音 快手 头条 返回首页 更多 投诉 留言 信箱 咨询 "
    "本网 本站 资讯 读书 时尚 游戏 生活 美食 家居 人才 招聘 商城 产品 案例 站点导航".split()
)
_NAV_SUFFIX = re.compile(r"(?:频道|中心|动态|新闻|服务|公开|专题|首页|网|版|栏目|要闻|资讯)$")


def _nav_tokens(tokens: list[str]) -> int:
    return sum(1 for t in tokens if _simp(t) in _NAV_WORDS or _NAV_SUFFIX.search(_simp(t)))


def _is_word_row(s: str) -> bool:
    """A row of short words with no punctuation (a menu, or a list of keywords)."""
    if _SENT_PUNCT.search(s) or _HEADING.match(s):
        return False
    tokens = [t for t in _MENU_SEP.split(s) if t]
    if len(tokens) < 4:
        return False
    if any(len(t) == 1 for t in tokens) or not all(_LETTER.search(t) for t in tokens):
        return False
    if any(len(t) > 6 for t in tokens):
        return False
    if sum(len(t) for t in tokens) / len(tokens) > 4.5:
        return False
    return True


def _is_menu(s: str) -> bool:
    """A row of short words with at least one navigation word (首页 | 要闻 | 政务 | 财经)."""
    if not _is_word_row(s):
        return False
    return _nav_tokens([t for t in _MENU_SEP.split(s) if t]) >= 1


def _is_widget(low: str) -> bool:
    rest = low
    strong = False
    for w in _WIDGET_STRONG:
        if w in rest:
            strong = True
            rest = rest.replace(w, " ")
    if not strong:
        return False
    for w in _WIDGET_WEAK_LONGEST_FIRST:
        rest = rest.replace(w, " ")
    return not _SEP.sub("", rest)


_WIDGET_WEAK_LONGEST_FIRST = sorted(set(_WIDGET_WEAK), key=len, reverse=True)


_SPAM_PARTS = re.compile(r"\s*[_丨|｜,，\-、/]\s*")


def _is_spam_list(low: str) -> bool:
    """An SEO keyword list (``日韩黄色视频网址_无码好片_...``, parts joined by ``_ 丨 - | ,``):
    at least four short parts, most of them carrying spam words; no sentence mark."""
    if len(low) > 400 or _STOP_MARK.search(low):
        return False
    parts = [p for p in _SPAM_PARTS.split(low) if p]
    if len(parts) < 4 or max(len(p) for p in parts) > 30:
        return False
    hits = sum(1 for p in parts if any(w in p for w in _SPAM_STRONG) or sum(1 for w in _SPAM_WEAK if w in p) >= 1)
    return hits * 2 >= len(parts) and any(any(w in p for w in _SPAM_STRONG + _SPAM_SITE) for p in parts) \
        or hits >= max(4, len(parts) - 1)


def _is_spam(low: str) -> bool:
    if _is_spam_list(low):
        return True
    if len(low) > 60 or _BODY_PUNCT.search(low):
        return False
    if len(low) <= 30 and any(w in low for w in _SPAM_SITE) and not _ANY_PUNCT.search(low):
        rest = low
        for w in _SPAM_SITE:
            rest = rest.replace(w, "")
        if len(re.sub(r"[\s_\-|·]", "", rest)) <= 6:
            return True  # a gambling site's name alone on a line (杏运娱乐首页, 北京pk10)
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
    s = _core(line)
    return _classify(s, _simp(s)) if s else None


def _core(line: str) -> str:
    """The line as the rules read it: stripped, zero-width characters removed."""
    s = line.strip().strip("\u00a0\u3000 ")
    if _ZERO_WIDTH_RE.search(s):
        s = _ZERO_WIDTH_RE.sub("", s).strip()  # ``掃一\u200b掃``: zero-width characters hide nothing
    return s


def _simp_many(texts: list[str]) -> list[str]:
    """``_simp`` of each text, in one OpenCC call."""
    from ...chinese_script import to_simplified_many

    return [t.lower() for t in to_simplified_many(texts)]


def _classify(s: str, low: str) -> str | None:
    """:func:`classify_line` of a non-empty :func:`_core` ``s`` whose ``_simp`` is ``low``."""
    if _is_code(s):
        return "markup_residue"
    if _is_bare_pinyin(s):
        return "pinyin_junk"
    if not _SEP.sub("", s):
        return "markup_residue" if _BULLET.search(s) or len(s) <= 3 else None
    low0 = s.lower()
    if _is_spam_list(low) if len(s) > 60 and _SPAM_PARTS.search(s) else False:
        return "spam_line"
    if _SPAM_BLURB.search(low) and len(s) <= 300 and s.count("。") <= 2:
        return "spam_line"  # an essay-template site's blurb (本站小编为你整理了...范文)
    if (len(s) > 120 or _SENT_PUNCT.search(s)) and _NOTICE_SENTENCE.search(low) and len(s) <= 300 \
            and not _HEADING_ITEM.match(s) \
            and not re.search(r"[。；][^。；]{8,}[。；]", low0.rstrip("。")):
        return "copyright_footer"  # a one-sentence repost/copyright notice
    if len(s) > 120:
        return None
    if len(s) <= 60 and _RELATED_TAIL.search(low) and not _STOP_MARK.search(s):
        return "nav_menu"  # the label of a related-links block named after the article
    if len(s) > 20 and (_BODY_PUNCT.search(s) or (len(s) > 60 and _SENT_PUNCT.search(s))):
        return None  # a sentence: none of the rules below can fire on it
    if _mojibake_share(s) >= 0.2:
        return None  # Latin-1 look of undecoded bytes: a ``©``/``»`` in it is no footer or breadcrumb
    if _KEYWORDS.match(low):
        return "share_widget" if not _KEYWORDS.sub("", low).strip() else None  # a keyword line is content
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
    if _BREADCRUMB_HEAD.match(low) or (len(_CRUMB_SEP.findall(s)) >= 2 and not _ANGLE_OPEN.search(s)
                                           and not _SENT_PUNCT.search(s) and len(s) <= 80 and _crumbs_readable(s)):
        return "breadcrumb"
    if _COPYRIGHT.search(low) and len(s) <= 80 and not _CLAUSE_OR_END.search(s):
        return "copyright_footer"
    if len(s) <= 60 and _WIDGET_LINE.match(low):
        return "share_widget"
    if len(s) <= 40 and _CREDIT_LINE.match(low):
        return "template_byline"
    if _NOTICE.search(low) and len(s) <= 160 and not _HEADING_ITEM.match(s) and not _SENTENCE_END.search(s):
        return "copyright_footer"
    if _URL_LINE.match(s):
        return "nav_menu"
    toks = [t for t in _LANG_SEP.split(low) if t]
    if toks and len(s) <= 60 and all(t in _LANGS for t in toks):
        return "nav_menu"  # a language or edition switch
    if len(s) <= 160 and len(_FIELD.findall(low)) >= 3 and _COUNTER_FIELD.search(low) and not _BODY_PUNCT.search(s) \
            and not _DATELINE_WORD.search(low):  # a dateline keeps its source (its counter goes inline)
        return "share_widget"  # a line of page metadata with a view counter
    if len(s) <= 12 and _EMPTY_FIELD.match(low):
        return "page_metadata"  # an empty metadata field label (``• 索引号:``)
    if len(s) <= 10 and s[0] in "•·" and _EMPTY_FIELD.match(low + ":"):
        return "page_metadata"  # the same label after a bullet, its colon left out (``• 单位``)
    if _is_menu(s):
        return "nav_menu"
    return None


def _is_glyph_line(t: str) -> bool:
    """One to three symbols and nothing else (no letter, digit or punctuation: ``……`` is text)."""
    return len(t.replace(" ", "")) <= 3 and all(c == " " or unicodedata.category(c)[0] == "S" or unicodedata.category(c) == "Co"
                                                 for c in t)


def _crumbs_readable(s: str) -> bool:
    """Every part of a breadcrumb is a short name with a Han character or a Latin word."""
    parts = [p.strip() for p in re.split(r"[>›»]+", s) if p.strip()]
    return bool(parts) and all(len(p) <= 24 and re.search(r"[\u4e00-\u9fff]|[A-Za-z]{2,}", p) for p in parts)


def _mojibake_share(s: str) -> float:
    """Share of Latin-1 supplement characters (bytes of a Chinese codec shown as Latin-1)."""
    if not _LATIN1.search(s):
        return 0.0
    chars = [c for c in s if not c.isspace()]
    return sum(1 for c in chars if "\u0080" <= c <= "\u00ff" and c not in "©®°±·×÷«»") / len(chars) if chars else 0.0


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PY_TOKEN = re.compile(rf"[A-Za-zü{_TONED}]+[1-5]?")


def _is_bare_pinyin(s: str) -> bool:
    """A line of bare pinyin (``zhōng huá rén mín gòng hé guó``): no Han character, at least three
    words, every one a pinyin syllable (or syllables written together), toned or five or more."""
    if _HAN_CHAR.search(s):
        return False
    toks = _PY_TOKEN.findall(s)
    if len(toks) < 3 or sum(len(t) for t in toks) < 0.7 * len(re.sub(r"[\s\d,.;:!?，。、；：！？()（）\-]", "", s)):
        return False
    from .pinyin import reads_as_pinyin

    toned = sum(1 for t in toks if any(c in _TONED for c in t.lower()) or t[-1].isdigit())
    return all(reads_as_pinyin(t) for t in toks) and (toned >= 2 or len(toks) >= 5 and toned >= 1
                                                       or len(toks) >= 6 and all(t.islower() for t in toks))


def _is_short_label(s: str) -> bool:
    s = s.strip().strip("\u00a0\u3000 ")
    return bool(s) and len(s) <= 12 and len(s.split()) <= 2 and not _SENT_PUNCT.search(s) and not _COLON_DIGIT.search(s)


_MENU_LIKE = ("nav_menu", "share_widget", "breadcrumb", "markup_residue")


def find_page_furniture(text: str, use_model: bool = True) -> list[Edit]:
    """Removals of furniture/spam lines (rules, then the line classifier when ``use_model``) and of
    inline widgets inside kept lines."""
    lines = split_lines(text)
    kinds = rule_kinds(lines)
    confidence = [0.9] * len(lines)
    notes: dict[int, str] = {}
    if use_model:
        _apply_model(lines, kinds, confidence, notes)
    return _edits(lines, kinds, confidence, notes)


def split_lines(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, line with its newline)`` of every line of ``text``."""
    return [(m.start(), m.end(), m.group()) for m in _LINE.finditer(text) if m.end() > m.start()]


def rule_kinds(lines: list[tuple[int, int, str]]) -> list[str | None]:
    """The furniture kind the rules give each line (None: content), neighbours considered."""
    # each distinct line is classified once; the script conversion of all of them is one call
    cores = [_core(g) for _, _, g in lines]
    distinct = list(dict.fromkeys(c for c in cores if c))
    memo = {c: _classify(c, low) for c, low in zip(distinct, _simp_many(distinct))}
    kinds = [memo[c] if c else None for c in cores]
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
    # a line of one to three symbols (an icon glyph, ``⁺``, ``▶``) next to furniture is part of it
    for i, (_, _, g) in enumerate(lines):
        t = _core(g)
        if kinds[i] is None and t and _is_glyph_line(t) and any(
                j is not None and kinds[j] is not None for j in (_neighbour(lines, i, -1), _neighbour(lines, i, 1))):
            kinds[i] = "markup_residue"
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
        # a block of recommended headlines under the label (相关推荐 / 猜你喜欢 / 推荐视频): the
        # short headline-like lines that follow, up to the first line of prose
        taken = 0
        if not _RECOMMEND.match(_simp(g.strip())) or i < len(lines) // 2:
            continue  # only recommendation blocks, which follow the article
        while j < len(lines) and taken < 20:
            t = lines[j][2].strip()
            if t:
                if kinds[j] is None and not _is_headline_like(t):
                    break
                if kinds[j] is None:
                    kinds[j] = "nav_menu"
                taken += 1
            j += 1
    _mark_word_columns(lines, kinds)
    _mark_link_lists(lines, kinds)
    _mark_site_names(lines, kinds)
    # a row of short words without a navigation word (数据要素 公共数据 开发利用) is a menu only
    # next to other furniture: a list of keywords or terms is content
    for i, (_, _, g) in enumerate(lines):
        if kinds[i] is None and _is_word_row(g.strip()):
            nb = [kinds[j] for j in (_neighbour(lines, i, -1), _neighbour(lines, i, 1)) if j is not None]
            if any(k in _MENU_LIKE for k in nb):
                kinds[i] = "nav_menu"
    return kinds


_LINK_TITLE_BAD = re.compile(r"[。，,；;！!？?:：]|\d{1,4}\s*[-/年.]\s*\d{1,2}")
MIN_LINK_LIST = 5


def _is_link_title(s: str) -> bool:
    """A line that reads as the title of a linked article: 8 to 40 characters, mostly Han, no
    sentence punctuation, colon or date, not a numbered heading."""
    if not 8 <= len(s) <= 40 or _LINK_TITLE_BAD.search(s) or _HEADING_ITEM.match(s):
        return False
    return len(_HAN_CHAR.findall(s)) >= 0.6 * len(s)


_WORD_LINE = re.compile(r"^[\u4e00-\u9fff]{2,6}$")
MIN_WORD_COLUMN = 5


def _mark_word_columns(lines: list, kinds: list) -> None:
    """A menu or banner laid out one word a line (the html stage puts each link of a vertical menu
    on its own line): five or more lines in a row of two to six Han characters and nothing else,
    starting at the top of the page or right after other furniture."""
    nonblank = [i for i, (_, _, g) in enumerate(lines) if g.strip()]
    run: list[int] = []
    for k, i in enumerate(nonblank + [-1]):
        if i >= 0 and kinds[i] is None and _WORD_LINE.match(lines[i][2].strip()):
            run.append(k)
            continue
        if len(run) >= MIN_WORD_COLUMN and (run[0] == 0 or kinds[nonblank[run[0] - 1]] is not None):
            for r in run:
                kinds[nonblank[r]] = "nav_menu"
        run = []


def _mark_link_lists(lines: list, kinds: list) -> None:
    """A list of links above the article (recommended or related headlines): five or more lines
    in a row that read as article titles, starting at the top of the page or right after other
    furniture. The last of them is kept: it is the article's own title (a title with three
    subtitle lines stays whole: four lines are not a list)."""
    nonblank = [i for i, (_, _, g) in enumerate(lines) if g.strip()]
    run: list[int] = []
    for k, i in enumerate(nonblank + [-1]):
        if i >= 0 and kinds[i] is None and _is_link_title(lines[i][2].strip()):
            run.append(k)
            continue
        if len(run) >= MIN_LINK_LIST and (run[0] == 0 or kinds[nonblank[run[0] - 1]] is not None):
            for r in run[:-1]:
                kinds[nonblank[r]] = "link_list"
        run = []


#: what the name of a news site, paper or broadcaster ends with (a line of at most ten Han
#: characters); words that end the same way but name no medium are not names
_MEDIA_NAME = re.compile(r"^[\u4e00-\u9fff]{2,8}(?:网|报|电视台|广播电台|频道|在线|之声|杂志|周刊)$")
_NOT_MEDIA = re.compile(r"(?:互联网|物联网|电网|管网|路网|专网|内网|外网|光网|公报|通报|年报|简报|汇报|情报|预报|快报|周报|月报|日报表)$")
SITE_NAME_ZONE = 15
BANNER_ZONE = 2
_BYLINE_WORD = re.compile(r"\d|记者|記者|通讯员|通訊員|电$|電$|讯|訊|摄|攝|报道|報道")


def _mark_site_names(lines: list, kinds: list) -> None:
    """A site's or paper's name alone on a line among the first or last lines of the page
    (``新華網``, ``中国妇女报``) that stands next to other furniture or also appears inside it
    (``新華網首頁 時政 國際…``): a banner. Text without furniture keeps such lines (a title
    wrapped onto a line of its own, ``政府工作报``)."""
    nonblank = [i for i, (_, _, g) in enumerate(lines) if g.strip()]
    furniture = None
    for k in set(range(min(SITE_NAME_ZONE, len(nonblank)))) | set(range(max(0, len(nonblank) - SITE_NAME_ZONE), len(nonblank))):
        i = nonblank[k]
        t = lines[i][2].strip()
        if kinds[i] is not None or len(t) > 10 or not _MEDIA_NAME.match(_simp(t)) or _NOT_MEDIA.search(_simp(t)):
            continue
        if furniture is None:
            furniture = "\n".join(g for (_, _, g), kd in zip(lines, kinds) if kd is not None)
        near = [nonblank[j] for j in (k - 1, k + 1) if 0 <= j < len(nonblank)]
        if any(kinds[j] is not None for j in near) or t in furniture:
            kinds[i] = "site_banner"
    # a banner of the site's name and its channel words at the very top (``某某网 资料文库 正文``):
    # the first word names a site, the others are short, no punctuation
    for k in range(min(BANNER_ZONE, len(nonblank))):
        i = nonblank[k]
        toks = lines[i][2].split()
        if kinds[i] is not None or not 2 <= len(toks) <= 5 or _ANY_PUNCT.search(lines[i][2]) \
                or _BYLINE_WORD.search(lines[i][2]):  # a dateline or byline (新华网 北京3月5日电, 人民日报 记者 张三)
            continue
        first = _simp(toks[0])
        if _MEDIA_NAME.match(first) and not _NOT_MEDIA.search(first) and all(len(t) <= 8 for t in toks[1:]) \
                and all(_HAN_CHAR.search(t) for t in toks):
            kinds[i] = "site_banner"


def _edits(lines: list, kinds: list, confidence: list, notes: dict) -> list[Edit]:
    edits = []
    for i, ((s, e, g), k) in enumerate(zip(lines, kinds)):
        if k is None:
            if len(g) <= 200 and _INLINE_HINT.search(g):  # metadata lines are short; paragraphs are not
                edits.extend(_inline_widgets(g.rstrip("\r\n"), s))
            continue
        edits.append(Edit(s, e, "", kind=k, confidence=confidence[i], removal=True,
                          note=notes.get(i, f"page furniture ({k.replace('_', ' ')}): {g.strip()[:40]!r}")))
    return edits


# a gambling site's name put in place of a subject inside a sentence (``best365网页版登录_Bets365
# 人民政府``, ``开云手机官网入口·(中国)官方网站召开常务会议``): a brand, then the words of such names
_INLINE_SPAM = re.compile(
    r"(?:[A-Za-z]{1,6}\d{2,6}[A-Za-z]{0,6}|开云|亚博|必威|九游|乐鱼|米乐|kaiyun|ayx)"
    r"(?:[·_\-\s]{0,2}(?:网页版登录|网页版|官网入口|官方网站入口|官方网站|手机官网|官网|登录|入口|快速检测中心"
    r"|[A-Za-z]{1,6}\d{2,6}|\d{4,6}|[(（](?:中国|china)[)）])){2,8}",
    re.I,
)


def find_inline_spam(text: str) -> list[Edit]:
    """Removals of gambling-site names inside sentences (the sentence's own subject is lost)."""
    if not re.search(r"\d{2}|开云|亚博|必威|九游|乐鱼|米乐|kaiyun|ayx", text, re.I):
        return []
    return [Edit(m.start(), m.end(), "", kind="spam_inline", confidence=0.8, removal=True,
                 note=f"inline spam: a gambling site's name in place of a subject: {m.group()[:40]!r}")
            for m in _INLINE_SPAM.finditer(text)]


_RECOMMEND = re.compile(r"^[【\[]?\s*(?:相关推荐|猜你喜欢|推荐视频|相关视频|为你推荐|精彩推荐|热点推荐|推荐阅读|相关阅读|相关新闻"
                        r"|相关报道|相关文章|延伸阅读|今日热点新闻推荐|今日热点|往期推荐|往期回顾|精彩回顾|热门推荐|编辑推荐"
                        r"|今日推荐|最新推荐|图文推荐)\s*[】\]]?\s*[:：]?$")


def _is_headline_like(t: str) -> bool:
    """A short line that reads as a headline, a time or a date in a list of links (no sentence
    punctuation but quotes and the ``！``/``？`` of a headline)."""
    return len(t) <= 40 and not re.search(r"[。，,；;]", t) and not _HEADING_ITEM.match(t)


def _neighbour(lines: list, i: int, step: int) -> int | None:
    j = i + step
    while 0 <= j < len(lines) and not lines[j][2].strip().strip("\u00a0\u3000 "):
        j += step
    return j if 0 <= j < len(lines) else None


def _is_title_word(s: str) -> bool:
    """At least four Han characters in at most two words, no separator, bullet or widget word."""
    from .line_model import _HEADLINE_BAD, _WIDGET_WORDS

    return len(_HAN_CHAR.findall(s)) >= 4 and len(s.split()) <= 2 and not _HEADLINE_BAD.search(s) \
        and not any(w in s.lower() for w in _WIDGET_WORDS)


_MODEL_KINDS = {"furniture": "furniture_line", "spam": "spam_line", "pinyin_junk": "pinyin_junk"}


def _apply_model(lines: list, kinds: list, confidence: list, notes: dict) -> None:
    """Lines the rules kept that the line classifier calls furniture, spam or pinyin junk with
    probability >= its threshold: removed with that probability as confidence."""
    from .line_model import CLASSES, line_features, load_line_model, model_removable

    model = load_line_model()
    if model is None or not any(k is None for k in kinds):
        return
    texts = [g.rstrip("\r\n") for _, _, g in lines]
    # only lines the rules kept and the model may remove are scored (undecoded bytes are damage
    # to repair or flag, not furniture)
    cands = {i for i, t in enumerate(texts)
             if kinds[i] is None and t.strip() and model_removable(t) and _mojibake_share(t) < 0.2}
    # the first line the rules kept below the page's top furniture reads as the article's title
    # when it is one or two words of Han without separators: the model does not take it
    first = next((i for i, t in enumerate(texts) if t.strip() and kinds[i] is None), None)
    if first is not None and first in cands and any(kinds[j] is not None for j in range(first)) \
            and _is_title_word(texts[first].strip()):
        cands.discard(first)
    if not cands:
        return
    X = line_features(texts, kinds, model.corpus_repeats, only=cands)
    P = model.proba(X)
    content = CLASSES.index("content")
    for i in sorted(cands):
        t = texts[i]
        p_content = float(P[i, content])
        if 1.0 - p_content < model.threshold:
            continue
        best = max((c for c in range(len(CLASSES)) if c != content), key=lambda c: P[i, c])
        kinds[i] = _MODEL_KINDS[CLASSES[best]]
        confidence[i] = round(1.0 - p_content, 3)
        notes[i] = (f"line classifier: {CLASSES[best]} (P(content) = {p_content:.2f}): {t.strip()[:40]!r}")


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
