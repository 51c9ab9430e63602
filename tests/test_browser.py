"""The explorer page in a real browser: Debian's chromium, headless, driven by Playwright.

Playwright is used with executable_path=/usr/bin/chromium (its own browser
download is never used); .ci/run installs chromium and fonts-noto-cjk. When
the browser or Playwright is missing these tests fail and say what to install.

Every page is opened from a file: URL with all other requests intercepted and
recorded: any request that is not file: or data: fails the test.
Screenshots go to tests/artifacts/ (gitignored).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS
from rdflib import Graph

from kg.explorer import write_explorer

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A headless chromium with a fresh profile (a persistent context is how a user-data-dir is given)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright: pip install -e '.[test]'")
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no browser at {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk (see .ci/run)")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            args=ARGS, viewport={"width": 1400, "height": 860})
        yield ctx
        ctx.close()


class Opened:
    """A page opened in the browser, with what it logged and asked for."""

    def __init__(self, ctx, path: Path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = ctx.new_page()
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        # record, never run, alert(); a global flag catches any other payload
        self.page.add_init_script("window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };")
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("body[data-stable='1']", state="attached", timeout=120_000)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def node_id(self, label: str) -> int:
        nid = self.js("l => window.kgExplorer.byLabel(l)", label)
        assert nid is not None, f"no node labelled {label}"
        return nid

    def hidden(self, label: str) -> bool:
        return self.js("id => !!window.kgExplorer.nodes.get(id).hidden", self.node_id(label))

    def panel(self) -> str:
        return self.page.inner_text("#details")

    def click_node(self, label: str) -> None:
        """A real mouse click where the node is drawn."""
        nid = self.node_id(label)
        self.js("id => window.kgExplorer.network.focus(id, {scale: 1.5, animation: false})", nid)
        xy = self.js("""id => { var n = window.kgExplorer.network;
                      var p = n.canvasToDOM(n.getPositions([id])[id]);
                      var r = document.getElementById('network').getBoundingClientRect();
                      return [r.left + p.x, r.top + p.y]; }""", nid)
        self.page.mouse.click(*xy)

    def close(self) -> None:
        self.page.close()
        assert self.requests == [], f"the page asked the network for {self.requests}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seeds built with the kg command: OUT/explorer.html, OUT/graph.ttl, OUT/store."""
    out = tmp_path_factory.mktemp("exports")
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "--out", str(out), "-q"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture
def seeds_page(browser, built):
    opened = Opened(browser, built / "explorer.html")
    yield opened
    opened.close()


def test_page_loads_with_the_seed_graph_and_no_errors(seeds_page):
    labels = set(seeds_page.js("window.kgExplorer.data.nodes.map(n => n.label)"))
    assert {"吴江区", "甘州区", "松江区", "甘州区人力资源和社会保障局", "吴江区人力资源和社会保障局"} <= labels
    drawn = seeds_page.js("Object.keys(window.kgExplorer.network.getPositions()).length")
    assert drawn == seeds_page.js("window.kgExplorer.nodes.get({filter: n => !n.hidden}).length") > 100
    assert not seeds_page.hidden("甘州区") and seeds_page.page.inner_text("#shown") != "0"
    assert seeds_page.errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    seeds_page.page.screenshot(path=str(ARTIFACTS / "explorer-seeds.png"))


def test_search_by_alias_focuses_the_node(seeds_page):
    p = seeds_page
    p.page.fill("#search", "甘州区人社局")             # an alias, not the label
    first = p.page.inner_text("#results li")
    assert first.startswith("甘州区人力资源和社会保障局")
    p.page.press("#search", "Enter")
    want = p.node_id("甘州区人力资源和社会保障局")
    assert p.js("window.kgExplorer.network.getSelectedNodes()") == [want]
    # the view is centred on it
    view = p.js("window.kgExplorer.network.getViewPosition()")
    pos = p.js("id => window.kgExplorer.network.getPositions([id])[id]", want)
    assert abs(view["x"] - pos["x"]) < 1 and abs(view["y"] - pos["y"]) < 1
    assert p.page.inner_text("#details h2") == "甘州区人力资源和社会保障局"
    p.page.fill("#search", "吴江")
    p.page.press("#search", "Enter")
    assert p.js("window.kgExplorer.network.getSelectedNodes()") == [p.node_id("吴江区")]
    p.page.screenshot(path=str(ARTIFACTS / "explorer-search.png"))
    assert p.errors == []


def expected_evidence(graph_ttl: Path, label: str) -> tuple[str, str]:
    """(value, evidence sentence) of a figure about the entity, read from the exported graph."""
    g = Graph().parse(graph_ttl)
    rows = list(g.query("""
        PREFIX kg: <https://w3id.org/jiuye-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?v ?s WHERE { ?e rdfs:label ?l . FILTER(STR(?l) = ?want)
          ?f kg:subject ?e ; kg:value ?v ; kg:evidence/kg:text ?s } ORDER BY ?s LIMIT 1""",
        initBindings={"want": __import__("rdflib").Literal(label)}))
    assert rows, f"the seeds have no figure about {label}"
    return str(rows[0][0]), str(rows[0][1])


def test_click_shows_the_panel_with_figures_and_evidence(seeds_page, built):
    p = seeds_page
    value, sentence = expected_evidence(built / "graph.ttl", "吴江区")
    p.click_node("吴江区")
    assert p.js("window.kgExplorer.network.getSelectedNodes()") == [p.node_id("吴江区")]
    text = p.panel()
    assert text.startswith("吴江区") and "行政区划 District" in text and "320509" in text
    assert "数值 value" in text and "指标 measure" in text
    assert value.split(".")[0] in text
    assert sentence in text
    assert "隶属于 partOf" in text and "苏州市" in text
    # the panel's relation links move to the related node
    p.page.click("#details .link >> text=苏州市")
    assert p.js("window.kgExplorer.network.getSelectedNodes()") == [p.node_id("苏州市")]
    p.click_node("吴江区")
    p.page.screenshot(path=str(ARTIFACTS / "explorer-panel.png"))
    assert p.errors == []


def visible_labels(p: Opened) -> set[str]:
    return set(p.js("window.kgExplorer.data.nodes.filter(n => !window.kgExplorer.nodes.get(n.id).hidden)"
                    ".map(n => n.label)"))


def test_filters_hide_what_they_should(seeds_page):
    p = seeds_page
    everything = visible_labels(p)
    did = p.node_id("吴江区")
    p.page.select_option("#district", str(did))
    wj = visible_labels(p)
    assert {"吴江区", "平望镇", "吴江区人力资源和社会保障局", "人才吴优高校毕业生就业服务平台"} <= wj
    assert not wj & {"甘州区", "松江区", "甘州区人力资源和社会保障局", "苏州市"}
    assert p.page.inner_text("#shown") == str(len(wj))
    p.page.select_option("#district", "")
    assert visible_labels(p) == everything
    # by type: the legend entry hides every programme
    p.page.click("#legend li[data-type='Program']")
    no_prog = visible_labels(p)
    assert "人才吴优高校毕业生就业服务平台" not in no_prog and "吴江区" in no_prog
    p.page.click("#legend li[data-type='Program']")
    # by article: only what article 004 (甘州) mentions
    files = p.js("window.kgExplorer.data.articles.map(a => a.file)")
    p.page.select_option("#article", str(files.index("004_3f0cc9cd5d3e3597.txt")))
    art = visible_labels(p)
    assert "甘州区" in art and "吴江区" not in art
    p.page.click("#reset")
    assert visible_labels(p) == everything
    # figures: hidden at first, shown by the box
    figs = p.js("window.kgExplorer.data.nodes.filter(n => n.kind === 'Figure').map(n => n.id)")
    assert figs and all(p.js("id => window.kgExplorer.nodes.get(id).hidden", f) for f in figs)
    p.page.check("#figures")
    assert not any(p.js("id => window.kgExplorer.nodes.get(id).hidden", f) for f in figs)
    assert p.errors == []


def test_kg_explore_writes_a_district_page(browser, built, tmp_path):
    target = tmp_path / "wujiang.html"
    run = subprocess.run([sys.executable, "-m", "kg", "explore", "--district", "吴江区", "--out", str(built),
                          "-o", str(target)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    p = Opened(browser, target)
    labels = set(p.js("window.kgExplorer.data.nodes.map(n => n.label)"))
    assert {"吴江区", "平望镇", "吴江区人力资源和社会保障局"} <= labels
    assert not labels & {"甘州区", "松江区", "长宁区人力资源和社会保障局"}
    assert p.page.title().startswith("吴江区")
    assert p.errors == []
    p.close()
    bad = subprocess.run([sys.executable, "-m", "kg", "explore", "--district", "吴江市", "--out", str(built),
                          "-o", str(tmp_path / "x.html")], capture_output=True, text=True)
    assert bad.returncode == 2 and "吴江区" in bad.stderr and "Traceback" not in bad.stderr


def test_hostile_article_runs_no_script_and_shows_text(browser, tmp_path):
    from test_explorer import (HOSTILE_AGENCY, HOSTILE_CLAUSE, HOSTILE_PERSON, HOSTILE_TITLE, dataset,
                               result)

    path = write_explorer(dataset(result("001_a.txt")), tmp_path / "hostile.html", figures=True,
                          title="<img src=x onerror=alert('title')>")
    p = Opened(browser, path)
    p.page.fill("#search", "<script>")
    assert HOSTILE_AGENCY in p.page.inner_text("#results")
    p.page.press("#search", "Enter")
    text = p.panel()
    assert text.startswith(HOSTILE_AGENCY)
    assert HOSTILE_PERSON in text                       # its relation, as a link
    assert HOSTILE_TITLE in text                        # the article heading
    p.js("id => window.kgExplorer.focus(id)", p.node_id("2756个"))
    assert HOSTILE_CLAUSE in p.panel()
    p.click_node(HOSTILE_PERSON)
    assert p.panel().startswith(HOSTILE_PERSON)
    options = p.page.inner_text("#article")
    assert HOSTILE_TITLE in options
    assert p.page.title() == "<img src=x onerror=alert('title')>"
    # nothing ran, nothing was parsed as markup
    assert p.js("window.__alerts") == []
    assert p.js("window.__pwned === undefined")
    assert p.js("document.querySelectorAll('img, #details script, #side script, #results script').length") == 0
    assert p.errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "explorer-hostile.png"))
    p.close()


def test_a_request_leaving_the_page_is_caught(browser, tmp_path):
    """The guard itself works: a page that fetches from the network fails the check."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text("<!DOCTYPE html><body data-stable='1'><img src='http://example.invalid/x.png'></body>",
                     encoding="utf-8")
    p = Opened(browser, leaky)
    p.page.wait_for_timeout(200)
    with pytest.raises(AssertionError, match="example.invalid"):
        p.close()


def test_docs_screenshot_is_current():
    """docs/explorer.png (shown in the README) exists and is a real PNG."""
    png = ROOT / "docs" / "explorer.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert "docs/explorer.png" in (ROOT / "README.md").read_text(encoding="utf-8")

