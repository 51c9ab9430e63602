"""kg.explorer: the self-contained HTML page."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess

import pytest
from rdflib import Dataset

from kg.explorer import (build_nx, find_districts, json_for_script, layout_options, page_data,
                         select, write_explorer)
from helpers import make_article

from kg.graph import article_graph
from kg.model import Article, ArticleResult, Entity, Figure, Mention, Relation

HOSTILE_AGENCY = "<script>alert(1)</script>人社局"
HOSTILE_PERSON = '<img src=x onerror=alert(1)>张"燕\''
HOSTILE_CLAUSE = "</script><script>alert(2)</script>提供2756个岗位"
HOSTILE_TITLE = "<script>window.__pwned='title'</script>招聘会<img src=x onerror=alert(3)>"


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
    if hostile:
        art.title = HOSTILE_TITLE
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


def by_label(data: dict) -> dict:
    return {n["label"]: n for n in data["nodes"]}


def test_file_written_with_labels(page):
    labels = set(by_label(embedded_data(page)))
    for name in ("吴江区", "新桥镇", "松江区", "春风行动", "苏州合兴食品有限公司", "高校毕业生",
                 HOSTILE_AGENCY, HOSTILE_PERSON):
        assert name in labels
    # plain labels are readable in the file itself (the JSON keeps CJK as is)
    assert "苏州合兴食品有限公司" in page and "春风行动" in page
    assert page.startswith("<!DOCTYPE html>")


def test_legend_colours_and_shapes(page):
    assert 'id="legend"' in page
    for t, zh in (("District", "行政区划"), ("Agency", "机构"), ("Program", "项目"),
                  ("Person", "人物"), ("Enterprise", "企业"), ("Publisher", "发布者"),
                  ("Figure", "统计数据")):
        assert f'data-type="{t}"' in page and zh in page
    data = embedded_data(page)
    style = {n["kind"]: (n["color"], n["shape"]) for n in data["nodes"]}
    assert len(set(style.values())) == len(style)          # one look per type
    assert style["District"][1] == "hexagon" and style["Agency"][1] == "square"


def test_names_info_and_sizes(page):
    data = embedded_data(page)
    nodes = by_label(data)
    wj = nodes["吴江区"]
    assert wj["names"] == ["吴江区", "吴江"]
    assert dict(wj["info"])["adminCode"] == ["320509"]
    assert len(wj["arts"]) == 2 and len(nodes["高校毕业生"]["arts"]) == 2
    assert dict(nodes[HOSTILE_PERSON]["info"])["role"] == ["局长"]
    fig = next(n for n in data["nodes"] if n["kind"] == "Figure")
    assert wj["size"] > fig["size"]
    preds = {e["predicate"] for e in data["edges"]}
    assert preds == {"partOf", "locatedIn", "affiliation", "organizer", "subject"}


def test_figures_and_evidence_sentences(page):
    data = embedded_data(page)
    ids = {n["id"]: n for n in data["nodes"]}
    prog = by_label(data)["春风行动"]
    figs = [ids[f]["fig"] for f in prog["figs"]]
    assert sorted((f["value"], f["unit"], f["measure"], f["period"]) for f in figs) == \
        [("2756", "个", "岗位", "6月30日")] * 2
    # each figure's evidence is the sentence it was read from, in its own article
    for f in prog["figs"]:
        (s,) = ids[f]["fig"]["sents"]
        sent = data["sentences"][s]
        assert "2756个岗位" in sent["t"]
        assert data["articles"][sent["a"]]["file"] == data["articles"][ids[f]["arts"][0]]["file"]
    wj = by_label(data)["吴江区"]
    big = next(ids[f]["fig"] for f in wj["figs"])
    assert (big["value"], big["unit"], big["approx"]) == ("50860000", "元", True)
    # entity mentions: the sentences naming the enterprise, one per article
    ent = by_label(data)["苏州合兴食品有限公司"]
    texts = {data["sentences"][s]["t"] for s in ent["sents"]}
    assert texts == {"苏州合兴食品有限公司在吴江区。"} and len(ent["sents"]) == 2


def test_district_homes_follow_relations():
    G = build_nx(dataset(result(hostile=False)))
    label = {d["label"]: n for n, d in G.nodes(data=True) if d["type"] != "Figure"}
    homes = {d["label"]: {G.nodes[x]["label"] for x in d["districts"]}
             for _, d in G.nodes(data=True)}
    assert homes["吴江区"] == {"吴江区"}
    assert homes["新桥镇"] == {"新桥镇", "松江区"}               # partOf chain
    assert homes["吴江区人社局"] == {"吴江区"}                   # locatedIn
    assert homes["春风行动"] == {"吴江区"}                       # organizer -> agency -> locatedIn
    assert homes["张燕"] == {"吴江区"}                           # affiliation
    assert homes["2756个"] == {"吴江区"}                         # figure -> subject
    assert homes["高校毕业生"] == set()
    sub = select(G, districts=[label["松江区"]])
    assert {d["label"] for _, d in sub.nodes(data=True)} == {"松江区", "新桥镇"}
    sub = select(G, districts=find_districts(G, "吴江"))       # an alias works
    assert "春风行动" in {d["label"] for _, d in sub.nodes(data=True)}
    assert find_districts(G, "310117") == [label["松江区"]]


def test_page_for_a_district_and_an_article(tmp_path):
    other = result("002_b.txt", hostile=False)
    other.entities.append(ent(other.article, "Institution", "苏州大学", "Institution|苏州大学"))
    ds = dataset(result("001_a.txt"), other)
    wj = embedded_data(write_explorer(ds, tmp_path / "wj.html", districts=["吴江区"])
                       .read_text(encoding="utf-8"))
    labels = set(by_label(wj))
    assert {"吴江区", HOSTILE_AGENCY, "春风行动", "苏州合兴食品有限公司"} <= labels
    assert not labels & {"新桥镇", "松江区", "高校毕业生", "苏州大学"}
    art = embedded_data(write_explorer(ds, tmp_path / "b.html", articles=["some/dir/002_b.txt"])
                        .read_text(encoding="utf-8"))
    assert "苏州大学" in by_label(art)
    only_a = embedded_data(write_explorer(ds, tmp_path / "a.html", articles=["001_a.txt"])
                           .read_text(encoding="utf-8"))
    assert "苏州大学" not in by_label(only_a) and "吴江区" in by_label(only_a)
    with pytest.raises(ValueError, match="no district called '吴江市'.*吴江区"):
        write_explorer(ds, tmp_path / "x.html", districts=["吴江市"])
    with pytest.raises(ValueError, match="no article"):
        write_explorer(ds, tmp_path / "x.html", articles=["nope.txt"])


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


def test_csp_allows_exactly_the_pages_own_scripts(page):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    assert allowed == {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp


def strip_data(page: str) -> str:
    """The page without the JSON data block (which may hold any text)."""
    return re.sub(r'<script type="application/json" id="kg-data">.*?</script>', "", page,
                  flags=re.S)


def test_hostile_names_are_text(page):
    # no raw markup from the articles anywhere in the file
    for bad in ("<script>alert", "<img src=x", "</script><script>alert(2)", "onerror=alert(1)>",
                "<script>window.__pwned"):
        assert bad not in page
    # the only </script> tags are the page's own
    assert page.count("</script>") == 3
    # the title went through html.escape
    assert "<title>测试 &lt;b&gt;Explorer&lt;/b&gt;</title>" in page
    # ... and the names survive intact in the data, to be shown via textContent
    data = embedded_data(page)
    labels = set(by_label(data))
    assert HOSTILE_AGENCY in labels and HOSTILE_PERSON in labels
    assert HOSTILE_CLAUSE in [n["fig"]["text"] for n in data["nodes"] if n["kind"] == "Figure"]
    assert HOSTILE_TITLE in [a["title"] for a in data["articles"]]
    # titles are never HTML strings: the page builds them as elements
    assert all("title" not in n for n in data["nodes"])
    assert "innerHTML" not in strip_data(page).split("<script>")[-1]


def test_layout_options_scale_with_the_graph():
    small, big = layout_options(50, 60), layout_options(5000, 6000)
    assert small["layout"]["improvedLayout"] is True
    assert big["layout"]["improvedLayout"] is False
    assert big["physics"]["solver"] == "barnesHut"
    assert big["physics"]["stabilization"]["iterations"] <= 150
    assert big["edges"]["smooth"] is False and big["interaction"]["hideEdgesOnDrag"]


def test_figures_hidden_unless_asked(tmp_path):
    ds = dataset(result(hostile=False))
    off = embedded_data(write_explorer(ds, tmp_path / "off.html").read_text(encoding="utf-8"))
    on = embedded_data(write_explorer(ds, tmp_path / "on.html", figures=True).read_text(encoding="utf-8"))
    assert off["showFigures"] is False and on["showFigures"] is True
    # the figures are in the page either way (the checkbox shows them), outside the layout
    for d in (off, on):
        figs = [n for n in d["nodes"] if n["kind"] == "Figure"]
        assert len(figs) == 2 and not any(n["physics"] for n in figs)


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
    assert page_data(build_nx(Graph()))["districts"] == []


@pytest.mark.skipif(not shutil.which("node"), reason="node not installed")
def test_page_scripts_parse(page, tmp_path):
    """The page's own script is valid JavaScript (syntax only; tests/test_browser.py runs it)."""
    own = strip_data(page).rsplit("<script>", 1)[-1].split("</script>", 1)[0]
    f = tmp_path / "page.js"
    f.write_text(own, encoding="utf-8")
    subprocess.run(["node", "--check", str(f)], check=True, capture_output=True)
