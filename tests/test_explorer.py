"""kg.explorer: the self-contained HTML page."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from rdflib import Dataset

from kg.explorer import build_nx, json_for_script, write_explorer
from kg.graph import article_graph
from kg.model import Article, ArticleResult, Entity, Figure, Mention, Relation, Sentence

HOSTILE_AGENCY = "<script>alert(1)</script>人社局"
HOSTILE_PERSON = '<img src=x onerror=alert(1)>张"燕\''
HOSTILE_CLAUSE = "</script><script>alert(2)</script>提供2756个岗位"


def make_article(text: str, source_file: str) -> Article:
    sentences, start = [], 0
    for i, c in enumerate(text):
        if c == "。":
            sentences.append(Sentence(text[start:i + 1], start, i + 1, 0))
            start = i + 1
    if start < len(text):
        sentences.append(Sentence(text[start:], start, len(text), 0))
    return Article(source_file=source_file, path=source_file, text=text,
                   paragraphs=[(0, len(text))], sentences=sentences, content_hash="ab" * 32)


def ent(art: Article, type_: str, name: str, key: str, **attrs) -> Entity:
    at = max(art.text.find(name), 0)
    return Entity(type_, name, key, attrs=attrs,
                  mentions=[Mention(type_, name, at, at + len(name), name=name)])


def result(source_file: str = "001_a.txt", hostile: bool = True) -> ArticleResult:
    agency = HOSTILE_AGENCY if hostile else "吴江区人社局"
    person = HOSTILE_PERSON if hostile else "张燕"
    text = (f"吴江区{agency}局长{person}介绍，春风行动提供2756个岗位。"
            "新桥镇属于松江区。苏州合兴食品有限公司在吴江区。")
    art = make_article(text, source_file)
    ents = [
        ent(art, "District", "吴江区", "District|320509", adminCode="320509", level="county"),
        ent(art, "District", "新桥镇", "District|310117102", adminCode="310117102", level="town"),
        ent(art, "District", "松江区", "District|310117", adminCode="310117", level="county"),
        ent(art, "Agency", agency, "Agency|320509|人社局"),
        ent(art, "Person", person, "Person|张燕"),
        ent(art, "Program", "春风行动", "Program|春风行动"),
        ent(art, "Enterprise", "苏州合兴食品有限公司", "Enterprise|合兴"),
        ent(art, "TargetGroup", "高校毕业生", "TargetGroup|高校毕业生"),
    ]
    ents[0].aliases = {"吴江"}
    rels = [
        Relation("District|310117102", "partOf", "District|310117"),
        Relation("Agency|320509|人社局", "locatedIn", "District|320509"),
        Relation("Enterprise|合兴", "locatedIn", "District|320509"),
        Relation("Person|张燕", "affiliation", "Agency|320509|人社局", role="局长"),
        Relation("Program|春风行动", "organizer", "Agency|320509|人社局"),
    ]
    at = text.index("2756")
    figs = [
        Figure(2756, "个", HOSTILE_CLAUSE if hostile else "提供2756个岗位", at, at + 5,
               measure="岗位", subject="Program|春风行动", period="6月30日",
               sentence=art.sentence_at(at), raw="2756个"),
        Figure(50860000.0, "元", "纾困资金5086万元", 0, 1, approx=True, measure="纾困资金",
               subject="District|320509"),
    ]
    return ArticleResult(art, ents, rels, figs)


def dataset(*results: ArticleResult) -> Dataset:
    ds = Dataset()
    for r in results:
        iri, g = article_graph(r)
        target = ds.graph(iri)
        for t in g:
            target.add(t)
    return ds


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    ds = dataset(result("001_a.txt"), result("002_b.txt"))
    path = tmp_path_factory.mktemp("explorer") / "out" / "explorer.html"
    written = write_explorer(ds, path, title="测试 <b>Explorer</b>", figures=True)
    assert written == path
    return path.read_text(encoding="utf-8")


def embedded_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


def test_file_written_with_labels(page):
    data = embedded_data(page)
    labels = {n["label"] for n in data["nodes"]}
    for name in ("吴江区", "新桥镇", "松江区", "春风行动", "苏州合兴食品有限公司", "高校毕业生",
                 HOSTILE_AGENCY, HOSTILE_PERSON):
        assert name in labels
    # plain labels are readable in the file itself (the JSON keeps CJK as is)
    assert "苏州合兴食品有限公司" in page and "春风行动" in page
    assert page.startswith("<!DOCTYPE html>")


def test_legend_and_colours(page):
    assert 'id="legend"' in page
    for t, zh in (("District", "行政区划"), ("Agency", "机构"), ("Program", "项目"),
                  ("Person", "人物"), ("Enterprise", "企业"), ("Publisher", "发布者")):
        assert f'data-type="{t}"' in page and zh in page
    data = embedded_data(page)
    colours = {n["kind"]: n["color"] for n in data["nodes"]}
    assert len(set(colours.values())) == len(colours)


def test_tooltip_facts_and_sizes(page):
    data = embedded_data(page)
    by_label = {n["label"]: n for n in data["nodes"]}
    wj = by_label["吴江区"]
    facts = dict(wj["tip"]["facts"])
    assert facts["区划代码 adminCode"] == "320509"
    assert facts["文章数 articles"] == "2"
    assert "吴江" in facts["别名 names"]
    assert any("苏州合兴食品有限公司" in v for k, v in wj["tip"]["facts"] if k.startswith("←"))
    assert "约50860000 元 纾困资金 · 001_a.txt" in wj["tip"]["figures"]
    prog = by_label["春风行动"]
    assert sorted(prog["tip"]["figures"]) == ["2756 个 岗位 (6月30日) · 001_a.txt",
                                              "2756 个 岗位 (6月30日) · 002_b.txt"]
    person = by_label[HOSTILE_PERSON]
    assert dict(person["tip"]["facts"])["职务 role"] == "局长"
    # size grows with the number of articles; figures are small
    fig = next(n for n in data["nodes"] if n["kind"] == "Figure")
    assert wj["size"] > fig["size"]
    preds = {e["predicate"] for e in data["edges"]}
    assert preds == {"partOf", "locatedIn", "affiliation", "organizer", "subject"}


def test_sizes_follow_article_counts():
    r = result("002_b.txt", hostile=False)
    r.entities.append(ent(r.article, "Institution", "苏州大学", "Institution|苏州大学"))
    G = build_nx(dataset(result("001_a.txt"), r))
    nodes = {d["label"]: d for _, d in G.nodes(data=True)}
    assert nodes["吴江区"]["articles"] == 2 and nodes["苏州大学"]["articles"] == 1
    # one IRI named differently by two articles: one node, the longer name shown
    agency = nodes[HOSTILE_AGENCY]
    assert agency["articles"] == 2 and "吴江区人社局" not in nodes
    assert "吴江区人社局" in dict(agency["tip"]["facts"])["别名 names"]
    assert not any(d["type"] == "Figure" for _, d in G.nodes(data=True))


def test_no_external_resources(page):
    # no external script/style/link at all
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"<(img|iframe|embed|object|audio|video|source)\b[^>]*\b(src|data)\s*=",
                         strip_data(page), re.I)
    # no attribute or CSS url pointing at a network location
    assert not re.search(r"""\b(src|href|action)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"@import", page, re.I)
    assert "cdnjs.cloudflare" not in page and "jsdelivr" not in page
    # the library itself is inlined
    assert "vis.Network" in page and "vis-network" in page


def strip_data(page: str) -> str:
    """The page without the JSON data block (which may hold any text)."""
    return re.sub(r'<script type="application/json" id="kg-data">.*?</script>', "", page,
                  flags=re.S)


def test_hostile_names_are_text(page):
    # no raw markup from the articles anywhere in the file
    for bad in ("<script>alert", "<img src=x", "</script><script>alert(2)", "onerror=alert(1)>"):
        assert bad not in page
    # the only </script> tags are the page's own
    assert page.count("</script>") == 3
    # the title went through html.escape
    assert "<title>测试 &lt;b&gt;Explorer&lt;/b&gt;</title>" in page
    # ... and the names survive intact in the data, to be shown via textContent
    data = embedded_data(page)
    labels = {n["label"] for n in data["nodes"]}
    assert HOSTILE_AGENCY in labels and HOSTILE_PERSON in labels
    fig_texts = [v for n in data["nodes"] if n["kind"] == "Figure" for k, v in n["tip"]["facts"]]
    assert HOSTILE_CLAUSE in fig_texts
    # titles are never HTML strings: the page builds them as elements
    assert all("title" not in n for n in data["nodes"])
    assert "innerHTML" not in strip_data(page).split("<script>")[-1]


def test_json_for_script_cannot_close_tag():
    s = json_for_script({"a": "</script><!-- <script> & \u2028"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s) == {"a": "</script><!-- <script> & \u2028"}


def test_no_lib_folder_in_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_explorer(dataset(result()), tmp_path / "x.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.html"]


def test_plain_graph_and_empty_graph(tmp_path):
    _, g = article_graph(result(hostile=False))
    out = write_explorer(g, tmp_path / "g.html")
    assert "吴江区人社局" in out.read_text(encoding="utf-8")
    from rdflib import Graph
    empty = write_explorer(Graph(), tmp_path / "empty.html").read_text(encoding="utf-8")
    assert embedded_data(empty)["nodes"] == []


@pytest.mark.skipif(not shutil.which("node"), reason="node not installed")
def test_page_scripts_parse(page, tmp_path):
    """The page's own script is valid JavaScript (syntax only; no browser here)."""
    own = strip_data(page).rsplit("<script>", 1)[-1].split("</script>", 1)[0]
    f = tmp_path / "page.js"
    f.write_text(own, encoding="utf-8")
    subprocess.run(["node", "--check", str(f)], check=True, capture_output=True)
