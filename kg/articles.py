"""Article files -> Article: decode, pick the shape, drop chrome, split text.

Three shapes of input are read:

* markdown: YAML front matter between `---` lines, then a body that is HTML
  (the scraped pages) or markdown text;
* plain: text copied from a page, with the site's chrome around it (今天是…,
  breadcrumbs, 来源/发布时间 lines, share buttons, editor credits);
* html: a whole page (<html>, <head> meta) or an HTML fragment.

Every shape is turned into lines first; one line classifier then sorts each
line into chrome (dropped), metadata (dropped, but its date, outlets, credits
and URL are kept) or body text. Metadata from front matter or <meta> tags wins
over what the lines say.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

from .model import Article, Credit, Sentence

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})


@dataclass(frozen=True)
class Limits:
    """How big an article may be before it is skipped (docs/reliability.md).

    max_bytes bounds the file: a larger one is refused before it is read, so
    memory stays bounded (a 5 MB HTML page takes a few seconds to parse).
    max_chars bounds the article text after chrome removal: extraction time
    grows about with its square (a 68 000-character text takes ~14 s), so a
    giant page would stall the whole build.
    """
    max_bytes: int = 5_000_000
    max_chars: int = 100_000


DEFAULT_LIMITS = Limits()


class ArticleError(Exception):
    """A file that cannot be read as an article; the message says what to do."""

    def __init__(self, path, message: str):
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


# ---------------------------------------------------------------- paths

def iter_article_paths(paths) -> Iterator[Path]:
    """Article files under `paths` (a path or an iterable of paths).

    Folders are walked recursively: files with an article suffix, sorted,
    hidden files and folders skipped. A file named explicitly is yielded as
    is, whatever its suffix; so is a path that does not exist, so that
    read_article reports it like any other unreadable file. Each file once.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        found = _walk(given) if given.is_dir() else [given]
        for p in found:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                yield p


def _walk(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files.extend(Path(root, n) for n in names
                     if not n.startswith(".") and Path(n).suffix.lower() in SUFFIXES)
    return sorted(files)


# ---------------------------------------------------------------- decoding

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# gb18030 is a superset of these: decoding with it never loses a character.
_GB_FAMILY = {"gb2312", "gbk", "cp936", "hz", "euc_cn", "gb18030"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of `raw`; raises ValueError saying why it is not text.

    BOMs and strict UTF-8 are certain and cheap, so they go first; only then
    is charset-normalizer asked to guess. NUL bytes without a BOM mean a
    binary file, unless the bytes read cleanly as BOM-less UTF-16 text.
    """
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError:
                raise ValueError(f"starts with a {enc} byte-order mark but is not {enc}") from None
    if b"\x00" in raw:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            if _HAN.search(text) and not _CONTROL.search(text):
                return text, "utf-16"
        raise ValueError("binary file (NUL bytes)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(raw).best()
    if best is None:
        raise ValueError("undecodable bytes: no text encoding fits")
    enc = best.encoding.lower().replace("-", "_")
    if enc in _GB_FAMILY:
        enc = "gb18030"
    try:
        return raw.decode(enc), codecs.lookup(enc).name
    except (UnicodeDecodeError, LookupError):
        return str(best), codecs.lookup(best.encoding).name


# ---------------------------------------------------------------- collected metadata

@dataclass
class _Found:
    """What metadata lines, front matter and <meta> tags said."""
    title: str | None = None
    published: str | None = None
    url: str | None = None
    publishers: list[str] = field(default_factory=list)
    fallback_publishers: list[str] = field(default_factory=list)  # tags, og:site_name
    credits: list[Credit] = field(default_factory=list)

    def add_publishers(self, names: Iterable[str]) -> None:
        for n in names:
            if n not in self.publishers:
                self.publishers.append(n)

    def add_credit(self, name: str, role: str) -> None:
        c = Credit(name, role)
        if c not in self.credits:
            self.credits.append(c)


# ---------------------------------------------------------------- dates

_DATE = r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?"
_TIME = r"\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?"
_DATE_RE = re.compile(_DATE + r"(?:[T\s]*(" + _TIME + r"))?\s*(Z|GMT|UTC|[+-]\d{2}:?\d{2})?")
_CHINA = timezone(timedelta(hours=8))


def parse_date(value) -> str | None:
    """ISO date (YYYY-MM-DD) of a date as written, or None.

    A time with a zone is moved to China time first: `Mon, 31 Jan 2022
    20:00:00 GMT` was published on 1 February for its readers.
    """
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat() if 1900 <= value.year <= 2100 else None
    if not isinstance(value, str):
        return None
    m = _DATE_RE.search(value)
    if m:
        y, mo, d, hm, zone = m.groups()
        try:
            dt = datetime(int(y), int(mo), int(d))
        except ValueError:
            return None
        if hm and zone:
            h, mi = re.split("[:：]", hm)[:2]
            try:
                dt = dt.replace(hour=int(h), minute=int(mi), tzinfo=_zone(zone))
            except ValueError:
                pass
        return _iso(dt)
    try:
        return _iso(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _zone(z: str) -> timezone:
    if z in ("Z", "GMT", "UTC"):
        return timezone.utc
    sign = -1 if z[0] == "-" else 1
    digits = z[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _iso(dt: datetime) -> str | None:
    if dt.tzinfo is not None:
        try:
            dt = dt.astimezone(_CHINA)
        except (OverflowError, ValueError):
            return None
    return dt.date().isoformat() if 1900 <= dt.year <= 2100 else None


# ---------------------------------------------------------------- names and outlets

_NAME_RE = re.compile(r"[\u4e00-\u9fff]{2,4}")
# Words that fill a credit slot but are not people.
_NOT_NAMES = frozenset(
    "受访者 供图 网络 资料图 资料 本报 本网 本台 新华社 记者 编辑 通讯员 作者 来源 图片 摄影 视频"
    " 未知 佚名 综合 整理 原创 本站 报道 通讯 见习记者 特约记者".split())
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪"
    "梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简"
    "车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄"
    "丛仲虞敖巩明佘池查麻苑迟邝")
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
                      "夏侯", "长孙", "宇文", "司徒", "端木")
_OUTLET_END = re.compile(r"(?:报|网|台|社|刊|志|客户端|新闻|头条|号|频道|传媒|媒体|融媒|在线|之声|"
                         r"电视|广播|发布|微信|微博|APP|app|平台|资讯)$")
# 来源 values that name no outlet.
_NOT_OUTLETS = frozenset("原创 本站 本站原创 网络 互联网 综合 未知 转载 网友投稿 投稿 本报 本报综合 综合报道 本网 本网综合 "
                         "本报讯 综合整理 整理 编辑部 其他 网络整理".split())


def parse_names(value: str) -> list[str] | None:
    """The people a credit names (`陈晨、韩庆`), or None if it names anything else."""
    parts = [p for p in re.split(r"[\s、，,；;/／]+", value.strip()) if p]
    if parts and parts[-1] in ("摄", "报道", "整理"):
        parts.pop()
    if not parts or any(not _NAME_RE.fullmatch(p) or p in _NOT_NAMES for p in parts):
        return None
    return parts


def _is_person(name: str) -> bool:
    """A plausible personal name: 2-4 Han characters led by a common surname."""
    return (bool(_NAME_RE.fullmatch(name)) and not _OUTLET_END.search(name)
            and (name[0] in _SURNAMES or name.startswith(_COMPOUND_SURNAMES)))


def split_publishers(value: str) -> list[str]:
    """Outlet names in a 来源 value: `苏州日报、引力播` -> [苏州日报, 引力播]."""
    names = []
    for part in re.split(r"[、，,；;|｜\s]+", value.strip()):
        part = part.strip("()（）[]【】<>《》\"'“”")
        if (part and part not in _NOT_OUTLETS and _HAN.search(part) and len(part) <= 30
                and "://" not in part and part not in names):
            names.append(part)
    return names


def _tag_outlet(tag: str) -> str | None:
    """The outlet a category tag names: `张掖日报新闻` -> 张掖日报 (only outlet-like tags)."""
    tag = tag.strip()
    stem = tag[:-2] if tag.endswith("新闻") else tag
    if stem and _HAN.search(stem) and _OUTLET_END.search(stem) and len(stem) <= 20:
        return stem
    return None


# ---------------------------------------------------------------- line classifier

# Keys of metadata lines, with the traditional forms of the common ones.
_KEYS_SOURCE = ("文章来源", "稿件来源", "信息来源", "新闻来源", "本文来源", "来源", "文章來源", "來源")
_KEYS_BARE_DATE = ("时间", "日期", "時間")
_KEYS_DATE = ("发布时间", "发布日期", "发稿时间", "更新时间", "發布時間", "發佈時間") + _KEYS_BARE_DATE
_KEYS_CREDIT = ("本报记者", "责任编辑", "值班编辑", "作者", "撰稿", "撰文", "文字", "文", "图片", "图",
                "摄影", "记者", "通讯员", "编辑", "责编", "主编", "审核", "审校", "审稿", "校对",
                "一审", "二审", "三审", "初审", "复审", "终审", "美编", "监制", "策划", "统筹", "出品",
                "制作", "采写", "本報記者", "責任編輯", "編輯", "責編", "記者", "通訊員", "審核", "攝影",
                "圖片", "圖")
_KEYS_COUNTER = ("浏览次数", "浏览量", "阅读量", "阅读数", "点击数", "点击量", "访问量", "点击", "浏览",
                 "阅读", "字号")


def _alt(words) -> str:
    return "|".join(sorted(set(words), key=len, reverse=True))


_ROLE = _alt(_KEYS_CREDIT)
_ROLE_GROUP = rf"(?:{_ROLE})(?:[、/／&](?:{_ROLE}))*"
_ANY_KEY = rf"(?:{_alt(_KEYS_SOURCE + _KEYS_DATE + _KEYS_COUNTER)}|{_ROLE_GROUP})"
_FIELD = re.compile(rf"({_ANY_KEY})\s*[:：]\s*(.*?)(?=[\s，,；;|｜]+{_ANY_KEY}\s*[:：]|$)")
_FIELD_LINE = re.compile(rf"{_ANY_KEY}\s*[:：]")
_PAREN_LINE = re.compile(r"[(（【\[]\s*(.+?)\s*[)）】\]]")
_DATE_LINE = re.compile(rf"{_DATE}\s*(?:{_TIME})?\s*(?:星期.|周.)?\s*(.*)")
_DATE_ONLY = re.compile(rf"{_DATE}\s*(?:{_TIME})?")
# A name that is not a role word, so `记者 张三 通讯员 李四` splits at 通讯员.
_NAME = rf"(?!(?:{_ROLE})(?:[\s:：/／]|$))[\u4e00-\u9fff]{{2,4}}"
_NAMES = rf"{_NAME}(?:[\s、，,]+{_NAME})*"
_BYLINE_SEGMENT = re.compile(rf"({_ROLE_GROUP})(?:\s*[:：/／]\s*|\s+)({_NAMES})(?:\s+(?:摄|报道|整理))?\s*")
_MARKED_BYLINE = re.compile(rf"[□■◎●]\s*(?:({_ROLE_GROUP})(?:\s*[:：/／]\s*|\s*))?({_NAMES})")

# Chrome that only ever fills a short line: a long line starting so is prose.
_CHROME_SHORT = re.compile("|".join([
    r"今天是\s*\d{4}\s*年",                                   # the scrape date
    r"(?:首页|主页|网站首页|当前位置|您的位置|你的位置|您现在的位置)\s*[:：]?.{0,60}(?:>|＞|»|›|→)",
    r"扫描关注", r"扫一扫", r"向下滑动查看更多", r"点击查看更多",
    r"(?:点击)?(?:返回首页|返回顶部|返回列表|返回目录|打印本页|关闭窗口|分享到|分享至|上一篇|下一篇)",
    r"【\s*(?:打印|关闭|纠错|字号|收藏)",
    # WeChat and app repost chrome: 点击蓝字关注我们, 阅读原文, 分享 点赞 在看, 长按识别二维码
    r"(?:点击|戳)?(?:上方)?蓝字", r"关注我们", r"阅读原文", r"(?:分享|点赞|在看|收藏)(?:\s*[|｜·]?\s*(?:分享|点赞|在看|收藏)){1,3}\s*$",
    r"长按(?:识别)?(?:图中)?二维码", r"(?:欢迎)?(?:转发|分享)(?:到|至)?朋友圈",
    r"(?:图片|图)\s*[:：/／]\s*\S{0,12}(?:供图|网络)\s*$",
]))
_CHROME_ANY = re.compile("|".join([
    r"!\[[^\]]*\]\([^)]*\)\s*$",                               # markdown image
    r"(?:\[[^\]]*\]\([^)]*\)[\s｜|·/]*)+$",                   # a row of markdown links
    r"[\W_]*$",                                                 # no letters, digits or Han at all
]))
_BREADCRUMB = re.compile(r"(?:.{1,20}\s*[>＞»›]\s*){2,}.{1,20}")


def _is_chrome(line: str) -> bool:
    """Site chrome: scrape date, breadcrumbs, share buttons, link rows, picture credits."""
    if _CHROME_ANY.match(line):
        return True
    return len(line) <= 100 and bool(_CHROME_SHORT.match(line) or _BREADCRUMB.fullmatch(line))


_URL_LINE = re.compile(r"<?((?:https?:)?//[^\s<>]+)>?")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _role(key: str) -> str:
    """The role as written, less the 本报 of 本报记者."""
    return key.removeprefix("本报").removeprefix("本報")


def _fields(line: str, found: _Found) -> bool:
    """Read a `来源: … 发布时间: …` / `编辑：…` line; False if it is body text."""
    if len(line) > 150 or not _FIELD_LINE.match(line):
        return False
    fields = _FIELD.findall(line)
    if not fields:
        return False
    publishers, credits, published = [], [], None
    for key, value in fields:
        value = value.strip()
        if key in _KEYS_SOURCE:
            publishers += split_publishers(value)
        elif key in _KEYS_DATE:
            # Bare 时间/日期 may start an event notice (时间：3月1日 地点：…): only a full date counts.
            if key in _KEYS_BARE_DATE and not _DATE_ONLY.fullmatch(value):
                return False
            published = published or parse_date(value)
        elif key in _KEYS_COUNTER:
            continue
        else:
            names = parse_names(value)
            if names:
                credits += [(n, _role(key)) for n in names]
            elif len(line) > 40:   # a long line after 图：/文： is a caption or prose
                return False
    found.add_publishers(publishers)
    for name, role in credits:
        found.add_credit(name, role)
    found.published = found.published or published
    return True


def _byline(line: str, found: _Found) -> bool:
    """`□张玲`, `记者 王某某`, `文/张三 图/李四`: credit lines without a colon."""
    m = _MARKED_BYLINE.fullmatch(line)
    if m:
        role = _role(m.group(1) or "作者")
        names = parse_names(m.group(2))
        if names:
            for n in names:
                found.add_credit(n, role)
            return True
        return False
    segments, pos = [], 0
    while pos < len(line):
        m = _BYLINE_SEGMENT.match(line, pos)
        if not m:
            return False
        names = parse_names(m.group(2))
        if not names:
            return False
        segments += [(n, _role(m.group(1))) for n in names]
        pos = m.end()
    for name, role in segments:
        found.add_credit(name, role)
    return bool(segments)


def _is_meta(line: str, found: _Found) -> bool:
    """True if `line` is chrome or metadata (recording what it says) and not body text."""
    if _is_chrome(line):
        return True
    m = _URL_LINE.fullmatch(line)
    if m:
        found.url = found.url or m.group(1)
        return True
    m = _PAREN_LINE.fullmatch(line)
    if m and (_fields(m.group(1), found) or _byline(m.group(1), found)):
        return True
    if _fields(line, found):
        return True
    m = _DATE_LINE.fullmatch(line)
    if m and (not m.group(4) or _fields(m.group(4), found)):
        found.published = found.published or parse_date(line)
        return True
    return _byline(line, found)


# ---------------------------------------------------------------- whitespace

_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\ue000]")
_SPACES = re.compile(r"\s+")


def _squash(s: str) -> str:
    """Strip, and collapse each run of whitespace (nbsp, ideographic space …) to one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", s)).strip()


# ---------------------------------------------------------------- HTML

_DROP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "img", "iframe",
              "svg", "form", "button", "select", "input", "textarea", "template", "object",
              "embed", "video", "audio", "canvas", "map", "link", "meta", "head", "title"}
_BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
               "dd", "tr", "table", "center", "section", "article", "main", "blockquote", "pre",
               "figure", "figcaption", "hr", "address", "body", "html"}
_BREAK = "\ue000"   # private-use mark for block boundaries; stripped from the input first
_HTML_BLOCK = re.compile(r"<(?:p|div|br|h[1-6]|li|table|center|section|article|span|strong|img)\b",
                         re.I)
_HTML_PAGE = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)


# Site chrome that pages mark by class or id rather than by tag: <div class="footer">,
# <div id="breadcrumb">, <ul class="share-bar"> … (words from common CMS templates).
_CHROME_CLASS = re.compile(r"(?:^|[\s_-])(?:footer|foot|nav|navbar|menu|breadcrumbs?|crumbs?|share|"
                           r"copyright|sidebar|side|header|topbar|comments?|related|pager|pagination|"
                           r"toolbar|ad|ads|advert)(?:$|[\s_-])", re.I)


def _is_chrome_block(tag) -> bool:
    """A block a page marks as chrome by its class or id (not <p>/<span>: text)."""
    if tag.name not in ("div", "ul", "ol", "section", "table", "dl"):
        return False
    attrs = tag.attrs or {}
    names = attrs.get("class") or []
    names = " ".join(names) if isinstance(names, list) else str(names)
    return bool(_CHROME_CLASS.search(f"{names} {attrs.get('id') or ''}"))


def _soup(markup: str):
    from bs4 import BeautifulSoup
    try:
        return BeautifulSoup(markup, "html.parser")
    except Exception:   # html.parser rejects some malformed markup with assorted errors
        return None


def _html_lines(node) -> list[str]:
    """The text lines of an HTML tree: one per block element, chrome elements dropped.

    One walk with an explicit stack: no recursion limit on deeply nested
    pages, and no tree edits (inserting markers is quadratic in BeautifulSoup).
    """
    from bs4 import CData, NavigableString, Tag
    out: list[str] = []
    stack, closers = [iter(node.children)], [""]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            out.append(closers.pop())
        elif isinstance(child, Tag):
            if child.name in _DROP_TAGS or _is_chrome_block(child):
                continue
            sep = _BREAK if child.name in _BLOCK_TAGS else " " if child.name in ("td", "th") else ""
            out.append(sep)
            stack.append(iter(child.children))
            closers.append(sep)
        elif type(child) in (NavigableString, CData):   # not comments, doctypes, script text
            out.append(child)
    return "".join(out).split(_BREAK)


def _strip_tags(markup: str) -> list[str]:
    """Fallback when the parser gives up: tags out, block tags as line breaks."""
    markup = re.sub(r"<(?:/?(?:p|div|h[1-6]|li|tr)|br)\b[^>]*>", "\n", markup, flags=re.I)
    return re.sub(r"<[^>]*>", "", markup).split("\n")


def _meta_tags(soup) -> dict[str, str]:
    """<meta name|property|itemprop=… content=…>, keys lowercased, first wins."""
    out: dict[str, str] = {}
    for m in soup.find_all("meta"):
        key = m.get("property") or m.get("name") or m.get("itemprop")
        content = m.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            out.setdefault(key.strip().lower(), _squash(content))
    return out


def _read_page(soup, found: _Found) -> None:
    """Title, date, URL, outlets and author from a page's <head> and headline."""
    meta = _meta_tags(soup)
    h1 = soup.find("h1")
    h1 = _squash(h1.get_text()) if h1 else ""
    title = soup.find("title")
    title = _squash(title.get_text()) if title else ""
    found.title = (meta.get("og:title") or meta.get("twitter:title")
                   or (h1 if h1 and (not title or h1 in title) else title) or None)
    for key in ("article:published_time", "og:published_time", "og:release_date", "pubdate",
                "publishdate", "publish_date", "publication_date", "datepublished", "dc.date.issued",
                "dc.date", "date", "weibo:article:create_at"):
        if key in meta and parse_date(meta[key]):
            found.published = parse_date(meta[key])
            break
    else:
        time = soup.find("time", attrs={"datetime": True})
        if time:
            found.published = parse_date(time["datetime"])
    canonical = soup.find("link", rel="canonical", href=True)
    found.url = (canonical["href"] if canonical else None) or meta.get("og:url")
    for key in ("source", "article:source", "contentsource", "publisher", "article:publisher"):
        if key in meta:
            found.add_publishers(split_publishers(meta[key]))
    author = meta.get("author") or meta.get("article:author")
    if author:
        _author(author, found, outlet_hints=())
    if "og:site_name" in meta:
        found.fallback_publishers += split_publishers(meta["og:site_name"])


def _author(author: str, found: _Found, outlet_hints: Iterable[str]) -> None:
    """An `author` field names a person (a credit) or an outlet (趣头条: a publisher)."""
    author = _squash(author)
    if not _HAN.search(author):
        return
    if _is_person(author) and author not in outlet_hints:
        found.add_credit(author, "作者")
    else:
        found.add_publishers(split_publishers(author))


# ---------------------------------------------------------------- front matter

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict | None, str]:
    """(metadata, body); metadata is None when there is no front matter.

    The block is parsed as YAML by python-frontmatter's handler; broken YAML
    (unquoted colons, bad indentation, impossible dates) falls back to reading
    `key: value` lines one by one.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return None, text
    from frontmatter.default_handlers import YAMLHandler
    try:
        meta = YAMLHandler().load(m.group(1))
    except Exception:   # yaml raises YAMLError, ValueError (bad dates), RecursionError …
        meta = None
    if not isinstance(meta, dict):
        meta = _lenient_yaml(m.group(1))
    return meta, text[m.end():]


def _lenient_yaml(block: str) -> dict:
    """`key: value` lines, and `- item` lines as a list under the last key."""
    meta: dict = {}
    key = None
    for line in block.split("\n"):
        item = re.match(r"\s+-\s*(.*)", line) or re.match(r"-\s+(.*)", line)
        if item and key:
            if not isinstance(meta.get(key), list):
                meta[key] = [meta[key]] if meta.get(key) else []
            meta[key].append(item.group(1).strip().strip("'\""))
            continue
        kv = re.match(r"([\w-]+)\s*:\s*(.*)", line)
        if kv:
            key = kv.group(1).lower()
            meta[key] = kv.group(2).strip().strip("'\"")
    return meta


def _as_strings(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value if v is not None]
    return [s for s in re.split(r"[,，\s]+", str(value)) if s]


def _read_front_matter(meta: dict, found: _Found) -> None:
    meta = {str(k).lower(): v for k, v in meta.items()}
    if isinstance(meta.get("title"), (str, int, float)):
        found.title = _squash(str(meta["title"])) or None
    for key in ("date", "published", "pubdate", "publishdate"):
        found.published = found.published or parse_date(meta.get(key))
    for key in ("url", "link", "permalink", "source_url", "original_url", "canonical"):
        if isinstance(meta.get(key), str) and meta[key].strip():
            found.url = meta[key].strip()
            break
    for key in ("source", "publisher", "media"):
        if isinstance(meta.get(key), str):
            found.add_publishers(split_publishers(meta[key]))
    hints = _as_strings(meta.get("categories")) + _as_strings(meta.get("tags"))
    if isinstance(meta.get("author"), str):
        _author(meta["author"], found, outlet_hints=hints)
    found.fallback_publishers += [o for o in map(_tag_outlet, _as_strings(meta.get("tags"))) if o]


# ---------------------------------------------------------------- shapes -> lines

def detect_shape(text: str, suffix: str = "") -> str:
    """markdown (front matter, .md), html (a page, or an HTML file without front matter) or plain."""
    head = text[:2000]
    if _FRONT_MATTER.match(text):
        return "markdown"
    if _HTML_PAGE.search(head) or (suffix in (".html", ".htm") and "<" in head):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if len(_HTML_BLOCK.findall(head)) >= 2:
        return "html"
    return "plain"


def _body_lines(markup: str) -> list[str]:
    """Lines of a body that may be HTML (scraped pages) or text."""
    if not _HTML_BLOCK.search(markup):
        return markup.split("\n")
    soup = _soup(markup)
    return _html_lines(soup) if soup is not None else _strip_tags(markup)


def _markdown_lines(body: str, found: _Found) -> list[str]:
    """Markdown lines; bare <http://…> lines are read here, before an HTML parser mistakes them for tags."""
    kept, heading = [], None
    for line in body.split("\n"):
        s = line.strip()
        m = _URL_LINE.fullmatch(s)
        if m and s.startswith("<"):
            found.url = found.url or m.group(1)
            continue
        h = re.match(r"#{1,6}\s+(.*)", s)
        if h:
            heading = heading or h.group(1)
            line = h.group(1)
        kept.append(line)
    if found.title is None and heading:
        found.title = _squash(heading)
    lines = _body_lines("\n".join(kept))
    out = []
    for line in lines:
        if not _is_chrome(line.strip()):   # link rows go before links become text
            line = _MD_LINK.sub(r"\1", line)
            line = re.sub(r"\*\*|__", "", line)
            line = re.sub(r"^\s*>\s?", "", line)
        out.append(line)
    return out


def _page_lines(text: str, found: _Found) -> list[str]:
    soup = _soup(text)
    if soup is None:
        return _strip_tags(text)
    _read_page(soup, found)
    articles = soup.find_all("article")
    root = max(articles, key=lambda a: len(a.get_text())) if articles else soup
    return _html_lines(root)


# ---------------------------------------------------------------- paragraphs

_SENTENCE_END_CHARS = "。！？!?"


def _join_broken(paras: list[str]) -> list[str]:
    """Join paragraphs that a page broke mid-sentence (`…平台，多` + `渠道促进就业。`).

    Joined when the first ends in ，or 、, or ends in a Han character although
    it holds a finished sentence (headings never do), and the next starts with
    a Han character or a digit. A short clause ending in Han (`扩大本地` +
    `规模，…`) is left alone: it cannot be told from a heading.
    """
    out: list[str] = []
    for p in paras:
        if out and _continues(out[-1], p):
            out[-1] += p
        else:
            out.append(p)
    return out


def _continues(prev: str, nxt: str) -> bool:
    if not (_HAN.match(nxt) or nxt[0].isdigit()):
        return False
    last = prev[-1]
    if last in "，、":
        return True
    return bool(_HAN.match(last)) and any(c in prev for c in _SENTENCE_END_CHARS)


def _body(lines: list[str], found: _Found, shape: str) -> list[str]:
    """Body paragraphs of `lines`; metadata lines are consumed into `found`."""
    paras = []
    for line in lines:
        line = _squash(line)
        if line and not _is_meta(line, found):
            paras.append(line)
    if shape == "plain" and found.title is None and paras:
        first = paras[0]
        if len(first) <= 80 and first[-1] not in "。；;，,：:":
            found.title = first
    if found.title:
        key = _SPACES.sub("", found.title)
        for i, p in enumerate(paras[:5]):
            if _SPACES.sub("", p) == key:
                del paras[i]
                break
    return _join_broken(paras)


# ---------------------------------------------------------------- sentences

_SENTENCE_END = re.compile(
    r"(?:[。！？；;]|[!?](?![A-Za-z0-9_=&%/#])|…{2,}|⋯{2,}|\.{3,})+"
    r"[”’」』）)》〉】\"']*")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, shifted by `offset`.

    Sentences end at 。！？!? ；; (statistics lists are ；-separated), at ……
    and at line breaks; closing quotes and brackets stay with their sentence.
    A ? or ! followed by a letter, digit or = is a URL's, not a sentence end.
    Surrounding whitespace is left out of each span.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _SENTENCE_END.finditer(text, line.start(), line.end()):
            _add_span(spans, text, start, m.end(), offset)
            start = m.end()
        _add_span(spans, text, start, line.end(), offset)
    return spans


def _add_span(spans, text, start, end, offset):
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    stripped = len(seg.rstrip())
    if stripped > lead:
        spans.append((start + lead + offset, start + stripped + offset))


# ---------------------------------------------------------------- read_article

def read_article(path, limits: Limits = DEFAULT_LIMITS) -> Article:
    """Read one article file; raises ArticleError when it is not readable text."""
    path = Path(path)
    raw = read_bytes(path, limits.max_bytes)
    if not raw.strip():
        raise ArticleError(path, "empty file: nothing to read; remove it or re-download")
    try:
        text, encoding = decode_bytes(raw)
    except ValueError as e:
        raise ArticleError(path, f"{e}: not a text article; remove it or convert it to UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    shape = detect_shape(text, path.suffix.lower())
    found = _Found()
    if shape == "markdown":
        meta, body = split_front_matter(text)
        if meta:
            _read_front_matter(meta, found)
        lines = _markdown_lines(body, found)
    elif shape == "html":
        lines = _page_lines(text, found)
    else:
        lines = _body_lines(text)
    paras = _body(lines, found, shape)
    if found.title:
        paras.insert(0, found.title)
    if not any(_HAN.search(p) for p in paras):
        raise ArticleError(path, "no Chinese text in the article body; "
                                 "check the file's encoding or remove it")
    size = sum(len(p) + 1 for p in paras)
    if size > limits.max_chars:
        raise ArticleError(path, f"article text is {size:,} characters, over the limit of "
                                 f"{limits.max_chars:,}; split the file, or raise the limit "
                                 "(kg build --max-chars)")
    return _article(path, raw, encoding, shape, paras, found)


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, else ArticleError.

    Opened non-blocking and checked with fstat on the open descriptor, so a
    FIFO or device saved under an article name is refused instead of
    blocking the build, and a file swapped between listing and reading is
    judged by what was actually opened. At most max_bytes + 1 are read, so a
    file that grows while it is read cannot exhaust memory either.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise ArticleError(path, f"cannot read the file ({e.strerror or e}); "
                                 "check that it exists and is readable") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((k for test, k in _KINDS if test(st.st_mode)), "not a regular file")
            raise ArticleError(path, f"cannot read the file: it is {kind}; give article files only")
        if st.st_size > max_bytes:
            raise ArticleError(path, _too_big(st.st_size, max_bytes))
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(max_bytes + 1)
    except OSError as e:
        raise ArticleError(path, f"cannot read the file ({e.strerror or e}); "
                                 "check the disk and that it is readable") from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        raise ArticleError(path, _too_big(len(raw), max_bytes))
    return raw


def _too_big(size: int, limit: int) -> str:
    return (f"file is {size / 1e6:.1f} MB, over the limit of {limit / 1e6:g} MB; split it, "
            "or raise the limit (kg build --max-size)")


def _article(path: Path, raw: bytes, encoding: str, shape: str, paras: list[str],
             found: _Found) -> Article:
    text = "\n".join(paras)
    spans, pos = [], 0
    for p in paras:
        spans.append((pos, pos + len(p)))
        pos += len(p) + 1
    sentences = [Sentence(text[s:e], s, e, i)
                 for i, (ps, pe) in enumerate(spans)
                 for s, e in split_sentences(text[ps:pe], ps)]
    return Article(
        source_file=path.name, path=str(path), text=text, paragraphs=spans, sentences=sentences,
        content_hash=hashlib.sha256(raw).hexdigest(), title=found.title,
        published=found.published, publishers=found.publishers or _dedupe(found.fallback_publishers),
        credits=found.credits, url=found.url, encoding=encoding, shape=shape)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
