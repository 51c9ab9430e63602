"""kg.articles: the seed articles, raw HTML pages, encodings, errors, and arbitrary bytes."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pytest
from helpers import SONGJIANG_ARTICLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.articles import (
    ArticleError, iter_article_paths, parse_date, read_article, split_publishers, split_sentences,
)
from kg.model import Credit

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@lru_cache(maxsize=None)
def seed(prefix: str):
    (path,) = SEEDS.glob(prefix + "_*.txt")
    return read_article(path)


def assert_consistent(a):
    """Offsets of paragraphs and sentences point into a.text as promised."""
    assert "\r" not in a.text
    assert [a.text[s:e] for s, e in a.paragraphs] == a.text.split("\n")
    for p in a.text.split("\n"):
        assert p and p == p.strip() and "  " not in p
    last_end = 0
    for i, s in enumerate(a.sentences):
        assert a.text[s.start:s.end] == s.text and s.text.strip() == s.text and s.text
        assert s.start >= last_end
        last_end = s.end
        ps, pe = a.paragraphs[s.paragraph]
        assert ps <= s.start < s.end <= pe
        assert a.sentence_at(s.start) == i
    if a.title:
        assert a.text.split("\n")[0] == a.title


# ---------------------------------------------------------------- the seeds

EXPECTED = {
    "000": dict(shape="markdown", title="喜报！松江获国家级荣誉", published="2022-01-31",
                publishers=["趣头条"], credits=[Credit("李圆圆", "文字、编辑")], url=None),
    "001": dict(shape="plain", title="《苏州日报》关注:吴江三大行动奏响就业最强音",
                published="2022-08-04", publishers=["苏州日报", "引力播"], credits=[], url=None),
    "002": dict(shape="plain", title="松江区:“4个100%”促高校毕业生稳定就业", published="2020-09-14",
                publishers=["上海基层党建网"], credits=[Credit("陈晨", "责编"), Credit("韩庆", "责编")],
                url=None),
    "003": dict(shape="markdown", title="援企稳岗助力复工复产 上海长宁推出“三进三送”服务",
                published="2022-05-23", publishers=["经济日报新闻客户端"], credits=[],
                url="http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202205232388334750"),
    "004": dict(shape="markdown", title="稳住民生“压舱石”", published="2022-03-08",
                publishers=["张掖日报"], credits=[Credit("张玲", "作者")],
                url="http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202203082300352840"),
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata(prefix):
    a = seed(prefix)
    for key, value in EXPECTED[prefix].items():
        assert getattr(a, key) == value, key
    assert a.encoding == "utf-8"
    assert a.source_file.startswith(prefix + "_")


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_offsets_and_hash(prefix):
    a = seed(prefix)
    assert_consistent(a)
    assert len(a.sentences) > 10
    assert a.content_hash == hashlib.sha256(Path(a.path).read_bytes()).hexdigest()


CHROME = ["今天是", "首页 >", "扫描关注", "返回首页", "返回", "http", "<img", ".jpeg", "受访者供图",
          "向下滑动", "来源", "发布时间", "责编", "文字、编辑", "□", "\xa0", "\u3000", "\u2003"]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_chrome_dropped(prefix):
    text = seed(prefix).text
    for chrome in CHROME:
        assert chrome not in text, chrome


@pytest.mark.parametrize("prefix, sentence", [
    # …… ends a sentence; a closing quote stays with its sentence
    ("000", "近些年来，新桥镇高度重视群众就业工作，在推荐就业、扶持创业、技能培训等方面不断创新，取得了一系列的丰硕成果。"),
    ("000", "“现在的这份工作离家近，有时间照顾家庭，收入也很不错。”"),
    ("000", "多措并举，将就业服务送至“家门口”"),
    ("001", "实现更充分更高质量就业是最大的民生。"),
    # half-width ; splits statistics lists
    ("001", "开展保障用工服务对接95次,赴外跨区域劳务协作和人力资源交流10次;"),
    ("001", "开展岗前培训3006人次,开展城乡劳动者技能培训752人次……"),
    ("002", "精准排摸,形成清单。"),
    ("003", "活动期间，共推送200余家企业约1500个职位。"),
    ("003", "疫情防控不松懈，就业服务不停歇。"),
    # a paragraph the page broke after 多 is joined again
    ("004", "充分发挥区乡两级劳动力市场功能作用，坚持每月10日举办招聘会，积极为各类用人单位和劳动力搭建供需对接平台，多渠道促进就业。"),
    ("004", "2021年实现城镇新增就业8303人，城镇失业人员再就业9223人，困难人员就业1147人；"),
])
def test_seed_sentences(prefix, sentence):
    assert sentence in [s.text for s in seed(prefix).sentences]


def test_seed_whitespace_inside_paragraphs():
    text = seed("001").text
    assert "“就在苏州 乐业吴江”" in text           # one space between phrases is kept
    assert "\n实现更充分更高质量就业是最大的民生。\n" in text  # em-space indent stripped
    assert seed("000").text.split("\n")[1].startswith("近日，由人力资源和社会保障部")


def test_seed_headings_stay_paragraphs():
    paras = seed("002").text.split("\n")
    assert paras[0] == EXPECTED["002"]["title"]
    assert "摸排100%清晰,精准化对接资源" in paras
    assert "春风送岗——助重点群体就业创业" in seed("004").text.split("\n")


# ---------------------------------------------------------------- raw HTML

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="utf-8">
<title>松江区举办春风行动招聘会_上海松江门户网站</title>
<meta name="author" content="松江报">
<meta property="og:title" content="松江区举办春风行动招聘会">
<meta property="article:published_time" content="2023-02-10T09:30:00+08:00">
<link rel="canonical" href="https://www.songjiang.gov.cn/news/123.html">
<style>.x{color:red}</style>
<script>var 广告 = "脚本里的字";</script>
</head><body>
<header><div class="logo">上海松江门户网站</div></header>
<nav><a href="/">首页</a> &gt; <a href="/news">新闻中心</a></nav>
<div class="main">
<h1>松江区举办春风行动招聘会</h1>
<div class="info">来源：松江报　发布时间：2023-02-10</div>
<p>记者 王晓明</p>
<!-- 注释里的字 -->
<p>2月9日，松江区人社局在新桥镇举办“春风行动”专场招聘会，<br>120家企业提供岗位3000余个。</p>
<p><img src="a.jpg" alt="图片说明">现场求职者络绎不绝！</p>
</div>
<footer>版权所有 © 上海市松江区人民政府</footer>
</body></html>
"""


def test_html_page(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    a = read_article(path)
    assert a.shape == "html"
    assert a.title == "松江区举办春风行动招聘会"
    assert a.published == "2023-02-10"
    assert a.url == "https://www.songjiang.gov.cn/news/123.html"
    assert a.publishers == ["松江报"]
    assert a.credits == [Credit("王晓明", "记者")]
    assert a.text == ("松江区举办春风行动招聘会\n"
                      "2月9日，松江区人社局在新桥镇举办“春风行动”专场招聘会，120家企业提供岗位3000余个。\n"
                      "现场求职者络绎不绝！")
    assert_consistent(a)


def test_html_page_without_meta_uses_title_and_text_lines(tmp_path):
    path = tmp_path / "bare.htm"
    path.write_text("<html><head><title>甘州区开展就业援助月活动</title></head><body>"
                    "<div>发布日期：2022年01月20日</div><div>甘州区就业援助月活动启动。</div>"
                    "</body></html>", encoding="utf-8")
    a = read_article(path)
    assert (a.title, a.published) == ("甘州区开展就业援助月活动", "2022-01-20")
    assert a.text == "甘州区开展就业援助月活动\n甘州区就业援助月活动启动。"


# ---------------------------------------------------------------- encodings

SIMPLIFIED = SONGJIANG_ARTICLE
TRADITIONAL = """松江區舉辦春風行動專場招聘會
2023年02月10日09:30
來源：松江報
2月9日，松江區人社局在新橋鎮舉辦春風行動專場招聘會，一百二十家企業提供崗位三千餘個。
現場求職者絡繹不絕！許多高校畢業生表示，這次招聘會崗位多、待遇好。
（責編：王曉明、李華）
"""


@pytest.mark.parametrize("source, encoding, detected", [
    (SIMPLIFIED, "gbk", "gb18030"),
    (SIMPLIFIED, "gb18030", "gb18030"),
    (SIMPLIFIED, "utf-16", "utf-16"),
    (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
    (TRADITIONAL, "big5", "big5"),
])
def test_encodings_read_to_the_same_text(tmp_path, source, encoding, detected):
    reference = tmp_path / "utf8.txt"
    reference.write_text(source, encoding="utf-8")
    other = tmp_path / f"{encoding}.txt"
    other.write_bytes(source.encode(encoding))
    want, got = read_article(reference), read_article(other)
    assert got.encoding == detected
    assert got.text == want.text
    assert (got.title, got.published, got.publishers, got.credits) == \
           (want.title, want.published, want.publishers, want.credits)
    assert got.published == "2023-02-10" and len(got.credits) == 2
    assert got.content_hash != want.content_hash   # the hash is of the bytes


def test_mixed_line_endings(tmp_path):
    lines = SIMPLIFIED.split("\n")
    mixed = lines[0] + "\r\n" + lines[1] + "\r" + lines[2] + "\n" + "\r\n".join(lines[3:])
    (tmp_path / "lf.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "mixed.txt").write_bytes(mixed.encode("utf-8"))
    a, b = read_article(tmp_path / "lf.txt"), read_article(tmp_path / "mixed.txt")
    assert b.text == a.text and "\r" not in b.text
    assert b.published == "2023-02-10"


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("name, content, says", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\r\n", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
    ("english.txt", b"Public employment services report.\nNo Chinese here.\n", "no Chinese text"),
    ("chrome.txt", "今天是2025年11月30日 星期日\n首页 > 本区动态 > 正文\n".encode(), "no Chinese text"),
])
def test_unreadable_files(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ArticleError) as err:
        read_article(path)
    assert str(path) in str(err.value) and says in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_and_folder(tmp_path):
    for path in (tmp_path / "gone.txt", tmp_path):
        with pytest.raises(ArticleError) as err:
            read_article(path)
        assert str(path) in str(err.value) and "cannot read" in str(err.value)


def test_broken_front_matter_still_reads_the_body(tmp_path):
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: 稳就业: 甘州区[在行动\n  bad: indent: here\ndate: 2022-03-08 10:03:38 +0800\n"
                    "---\n<p>甘州区深入实施就业优先战略。</p><p>（文章来源：张掖日报）</p>\n",
                    encoding="utf-8")
    a = read_article(path)
    assert a.title == "稳就业: 甘州区[在行动"
    assert a.published == "2022-03-08"
    assert a.publishers == ["张掖日报"]
    assert a.text == "稳就业: 甘州区[在行动\n甘州区深入实施就业优先战略。"


def test_unclosed_front_matter_is_body(tmp_path):
    path = tmp_path / "open.md"
    path.write_text("---\ntitle: 没有结尾\n甘州区深入实施就业优先战略。\n", encoding="utf-8")
    a = read_article(path)
    assert "甘州区深入实施就业优先战略。" in a.text
    assert_consistent(a)


# ---------------------------------------------------------------- paths

def test_iter_article_paths(tmp_path):
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name in ("b/c/2.md", "b/1.html", "a.txt", "z.htm", "x.markdown", ".secret.txt",
                 ".hidden/h.txt", "notes.pdf", "b/data.json"):
        (tmp_path / name).write_text("正文", encoding="utf-8")
    explicit = tmp_path / "notes.pdf"
    got = list(iter_article_paths([tmp_path, explicit, tmp_path / "a.txt"]))
    rel = [p.relative_to(tmp_path).as_posix() for p in got]
    assert rel == ["a.txt", "b/1.html", "b/c/2.md", "x.markdown", "z.htm", "notes.pdf"]
    assert list(iter_article_paths(str(tmp_path / "a.txt"))) == [tmp_path / "a.txt"]


# ---------------------------------------------------------------- helpers

def test_split_sentences():
    text = "他说：“好！”然后走了。见https://a.cn/x?id=1&b=2页……完\n第二行；结束"
    spans = split_sentences(text, offset=10)
    got = [text[s - 10:e - 10] for s, e in spans]
    assert got == ["他说：“好！”", "然后走了。", "见https://a.cn/x?id=1&b=2页……", "完", "第二行；", "结束"]


@pytest.mark.parametrize("value, iso", [
    ("Mon, 31 Jan 2022 10:22:26 GMT", "2022-01-31"),
    ("Mon, 31 Jan 2022 20:22:26 GMT", "2022-02-01"),   # China time
    ("2022-05-23 16:25:49 +0800", "2022-05-23"),
    ("2020年09月14日16:01", "2020-09-14"),
    ("2022-13-45", None),
    ("不是日期", None),
])
def test_parse_date(value, iso):
    assert parse_date(value) == iso


def test_split_publishers():
    assert split_publishers("苏州日报、引力播") == ["苏州日报", "引力播"]
    assert split_publishers("人民网，新华网 人民网") == ["人民网", "新华网"]
    assert split_publishers("原创") == []


def test_plain_bylines(tmp_path):
    path = tmp_path / "byline.txt"
    path.write_text("甘州区举办招聘会\n记者 王某某 通讯员 李华\n记者了解到，招聘会提供岗位三千个。\n"
                    "编辑：张三  审核：李四\n", encoding="utf-8")
    a = read_article(path)
    assert a.credits == [Credit("王某某", "记者"), Credit("李华", "通讯员"),
                         Credit("张三", "编辑"), Credit("李四", "审核")]
    assert a.text == "甘州区举办招聘会\n记者了解到，招聘会提供岗位三千个。"


# ---------------------------------------------------------------- any input

def _read_or_error(path):
    try:
        a = read_article(path)
    except ArticleError as e:
        assert str(path) in str(e)
        return
    assert_consistent(a)


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(raw=st.binary(max_size=600))
def test_any_bytes_read_or_article_error(tmp_path, raw):
    path = tmp_path / "any.txt"
    path.write_bytes(raw)
    _read_or_error(path)


# Text made of the pieces the reader looks for: markup, front matter, metadata keys, CJK.
PIECES = st.sampled_from([
    "---\n", "title: ", "date: ", "<p>", "</p>", "<div>", "<br>", "<html>", "<title>", "<script>",
    "<!--", "<![CDATA[", "<http://a.cn/?x=1>", "[返回](//a)", "\n", "\r\n", "\r", " ", "\u3000", "\xa0",
    "来源：", "（责编：", "）", "记者 ", "□", "发布时间:", "2022年1月2日", "2022-13-45 25:00 +0800",
    "今天是2025年1月1日", "首页 > ", "。", "；", "……", "”", "？", "!", "就业", "张三", "苏州日报", "、",
    "\ufeff", "\x00", "\x07", "a", "1",
])


@SETTINGS
@given(pieces=st.lists(PIECES, max_size=40), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_any_text_read_or_article_error(tmp_path, pieces, suffix):
    path = tmp_path / ("any" + suffix)
    path.write_bytes("".join(pieces).encode("utf-8"))
    _read_or_error(path)


def test_html_chrome_marked_by_class_or_id_is_dropped(tmp_path):
    page = ('<html><head><title>就业简讯</title></head><body>'
            '<div class="nav-bar"><a>首页</a> &gt; 工作动态</div>'
            '<div class="content"><p>萧山区人社局举办招聘会，提供岗位500个。</p></div>'
            '<div class="footer">版权所有：萧山区人民政府 电话：0571-12345678</div>'
            '<div id="share_box">分享到微信</div></body></html>')
    f = tmp_path / "page.html"
    f.write_text(page, encoding="utf-8")
    text = read_article(f).text
    assert "提供岗位500个" in text
    assert "版权所有" not in text and "分享到" not in text and "首页" not in text


def test_wechat_repost_chrome_is_dropped(tmp_path):
    f = tmp_path / "wx.txt"
    f.write_text("点击蓝字 关注我们\n临平区人社局举办招聘会，提供岗位800个。\n长按识别二维码\n分享 点赞 在看\n阅读原文\n",
                 encoding="utf-8")
    text = read_article(f).text
    assert "提供岗位800个" in text
    for chrome in ("蓝字", "二维码", "点赞", "阅读原文"):
        assert chrome not in text


def test_a_source_line_that_names_no_outlet(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("余杭开展招聘\n来源：本报综合  发布时间：2023-04-01\n余杭区人社局举办招聘会，提供岗位800个。\n",
                 encoding="utf-8")
    assert read_article(f).publishers == []
