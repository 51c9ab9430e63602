"""The interactive explorer: one self-contained HTML page of the graph.

    write_explorer(graph, "exports/explorer.html")                    # all of it
    write_explorer(graph, "wj.html", districts=["吴江区"])             # a part

What the page offers (all in the browser, no server):
  - nodes coloured and shaped by type, sized by how many articles mention
    them, with a legend that doubles as the type filter;
  - a search box that finds an entity by any of its names (label or alias)
    and focuses it;
  - filters by district, by article, and figures shown or hidden;
  - a side panel for the clicked node: names, type, relations (links to the
    related nodes), its figures as a table and the articles and evidence
    sentences behind it.

Pipeline: RDF -> read_graph (one pass over the triples) -> build_nx (a
networkx MultiDiGraph whose node attributes carry everything the page shows)
-> to_pyvis (pyvis gives the vis-network node/edge records) -> render_html.
The page is assembled here, not by pyvis's template: that template loads
vis-network and Bootstrap from CDNs even in "in_line" mode (and "local" mode
copies a lib/ folder into the working directory).

The page makes no network request at all: the vis-network JS and CSS pyvis
ships are inlined, nothing else is referenced, and a Content-Security-Policy
allows only the page's own two scripts (by hash) and no fetch of any kind.

Article text is never parsed as HTML:
  - graph data travels as JSON in a <script type="application/json"> block,
    with <, >, & escaped as \\u003c \\u003e \\u0026 so no name can close it;
  - the panel, search results, drop-downs and tooltips are DOM elements built
    with textContent (vis-network 9 takes an Element as a node's title),
    never HTML strings;
  - the few strings put into markup directly (page title, legend) go through
    html.escape.

Large graphs: the layout is computed once (stabilisation with a capped
number of iterations, barnesHut and no improvedLayout past a few hundred
nodes, straight edges and no edge labels past a thousand edges), then physics
is switched off so panning, dragging and filtering stay responsive. Filters
hide nodes rather than remove them, so the layout never has to be redone.
bench/explorer.py measures load-to-stable time in headless Chromium
(docs/benchmarks.md).
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import networkx as nx
from rdflib import Literal, URIRef

from .model import ENTITY_TYPES
from .namespace import KG, RDF, RDFS, SKOS

DEFAULT_TITLE = "就业公共服务知识图谱 · jiuye-kg explorer"

# type -> (Chinese name, colour, vis-network shape)
TYPE_STYLE = {
    "District": ("行政区划", "#4e79a7", "hexagon"),
    "Agency": ("机构", "#e15759", "square"),
    "Program": ("项目", "#f28e2b", "triangle"),
    "Enterprise": ("企业", "#59a14f", "diamond"),
    "Person": ("人物", "#b07aa1", "dot"),
    "Institution": ("院校", "#76b7b2", "triangleDown"),
    "Policy": ("政策", "#c9a800", "star"),
    "TargetGroup": ("服务对象", "#ff9da7", "dot"),
    "Publisher": ("发布者", "#9c755f", "square"),
    "Figure": ("统计数据", "#a0a0a0", "diamond"),
}

# predicate -> (Chinese name, edge colour)
RELATIONS = {
    "partOf": ("隶属于", "#4e79a7"),
    "locatedIn": ("位于", "#59a14f"),
    "affiliation": ("任职于", "#b07aa1"),
    "organizer": ("主办方", "#f28e2b"),
}
SUBJECT_EDGE = ("统计对象", "#bbbbbb")

IMPROVED = 100     # nodes: past this, no improvedLayout (slow, and it gives up on loose graphs)
BIG = 300          # nodes: past this, barnesHut and fewer iterations
HUGE_EDGES = 1000  # edges: past this, straight edges without labels


# --- reading the RDF ----------------------------------------------------------

@dataclass
class Raw:
    """What the page needs from the RDF, gathered in one pass over the triples."""
    types: dict = field(default_factory=dict)                       # node -> class local name
    props: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    rels: set = field(default_factory=set)                          # (s, predicate, o)


_WANTED = {KG[p]: p for p in (
    "mentionedIn", "adminCode", "level", "role", "sourceFile", "title", "published", "url",
    "reportedIn", "value", "unit", "measure", "period", "text", "approx", "raw", "subject",
    "evidence", "inArticle", "index", "mentions")}
_WANTED.update({RDFS.label: "label", SKOS.altLabel: "altLabel", SKOS.prefLabel: "prefLabel"})
_REL = {KG[p]: p for p in RELATIONS}
_KINDS = {KG[t]: t for t in (*ENTITY_TYPES, "Figure", "Sentence", "Article")}


def _triples(graph):
    """Every triple of a store, a Graph, or every named graph of a Dataset (repeats allowed)."""
    from .store import Store
    if isinstance(graph, Store):                # streamed: no in-memory copy of the store
        yield from graph.triples()
    elif hasattr(graph, "quads"):
        for s, p, o, _ in graph.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from graph


def read_graph(graph) -> Raw:
    """One pass over the triples; only the predicates the page shows are kept."""
    raw = Raw()
    for s, p, o in _triples(graph):
        if p == RDF.type:
            kind = _KINDS.get(o)
            if kind and isinstance(s, URIRef):
                raw.types.setdefault(s, kind)
        elif p in _WANTED:
            raw.props[s][_WANTED[p]].add(o)
        elif p in _REL:
            raw.rels.add((s, _REL[p], o))
    return raw


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _one(values) -> str:
    """One value of a property as text ('' when absent; the smallest when several)."""
    return min((str(v) for v in values), default="")


def _number(lit) -> str:
    """A figure value for people: 50860000, 12.5 (no exponent, no trailing .0)."""
    v = lit.toPython() if isinstance(lit, Literal) else lit
    try:
        d = Decimal(str(v))
    except (InvalidOperation, ValueError):
        return str(lit)
    if d == d.to_integral_value():
        return f"{d.quantize(Decimal(1)):f}"
    return f"{d.normalize():f}"


def _pick_label(labels) -> str:
    """The name to show: the longest (most complete) form, then the first alphabetically."""
    labels = sorted({str(x) for x in labels}, key=lambda s: (-len(s), s))
    return labels[0] if labels else ""


# --- the networkx graph ---------------------------------------------------------

def build_nx(graph, figures: bool = True, min_articles: int = 0) -> nx.MultiDiGraph:
    """The graph as networkx; node attributes carry everything the page shows.

    Node ids are IRIs. Entity nodes: label, type, names (label first, then
    aliases), articles (IRIs of the articles mentioning it), info (adminCode,
    level, role), districts (IRIs of the districts it belongs to, see
    _district_homes), sentences (IRIs of sentences mentioning it), figures.
    Figure nodes (figures=True): label, type "Figure", value, unit, measure,
    period, text, approx, raw, articles, sentences (its evidence), subject.
    Edges carry `predicate` (a relation, or "subject" from figure to entity).
    G.graph holds "articles" {IRI: {file, title, published, url}} and
    "sentences" {IRI: {article, index, text}}.
    min_articles: leave out entities mentioned in fewer articles.
    """
    raw = read_graph(graph)
    P = raw.props
    G = nx.MultiDiGraph()
    G.graph["articles"] = {
        str(a): {"file": _one(P[a]["sourceFile"]) or _local(a), "title": _one(P[a]["title"]),
            "published": _one(P[a]["published"]), "url": _one(P[a]["url"])}
        for a, k in raw.types.items() if k == "Article"}
    G.graph["sentences"] = {
        str(s): {"article": _one(P[s]["inArticle"]), "index": _index(P[s]["index"]),
            "text": _one(P[s]["text"])}
        for s, k in raw.types.items() if k == "Sentence"}

    mentioned_by: dict = defaultdict(set)
    for s, k in raw.types.items():
        if k == "Sentence":
            for e in P[s]["mentions"]:
                mentioned_by[e].add(str(s))
    keep = {e for e, k in raw.types.items()
            if k in ENTITY_TYPES and len(P[e]["mentionedIn"]) >= min_articles}

    for e in sorted(keep, key=str):
        label = _pick_label(P[e]["label"] | P[e]["prefLabel"]) or _local(e)
        names = [label] + sorted({str(x) for x in P[e]["label"] | P[e]["altLabel"]
                                  | P[e]["prefLabel"]} - {label})
        info = [[prop, sorted(str(v) for v in P[e][prop])]
                for prop in ("adminCode", "level", "role") if P[e][prop]]
        G.add_node(str(e), label=label, type=raw.types[e], names=names,
                   articles=sorted(str(a) for a in P[e]["mentionedIn"]), info=info,
                   sentences=sorted(mentioned_by[e]), figures=[])

    for s, pred, o in sorted(raw.rels):
        if s in keep and o in keep:
            G.add_edge(str(s), str(o), predicate=pred)

    for f in sorted((f for f, k in raw.types.items() if k == "Figure"), key=str):
        subj = next(iter(P[f]["subject"]), None)
        if subj in keep:
            G.nodes[str(subj)]["figures"].append(str(f))
        if not figures:
            continue
        rec = _figure_attrs(P[f])
        G.add_node(str(f), type="Figure", subject=str(subj) if subj in keep else None, **rec)
        if subj in keep:
            G.add_edge(str(f), str(subj), predicate="subject")
    if not figures:
        for n in G.nodes:
            G.nodes[n]["figures"] = []
    _district_homes(G)
    return G


def _index(values) -> int:
    try:
        return int(_one(values) or -1)
    except ValueError:
        return -1


def _figure_attrs(props) -> dict:
    value = next(iter(props["value"]), None)
    rec = {
        "value": _number(value) if value is not None else "?",
        "unit": _one(props["unit"]), "measure": _one(props["measure"]),
        "period": _one(props["period"]), "text": _one(props["text"]),
        "raw": _one(props["raw"]),
        "approx": _one(props["approx"]).lower() == "true",
        "articles": sorted(str(a) for a in props["reportedIn"]),
        "sentences": sorted(str(s) for s in props["evidence"]),
    }
    rec["label"] = ("约" if rec["approx"] else "") + rec["value"] + rec["unit"]
    return rec


def _district_homes(G: nx.MultiDiGraph) -> None:
    """Set each node's `districts`: the districts it belongs to through its relations.

    A district belongs to itself and every district up its partOf chain; an
    agency, enterprise or institution to the homes of the district it is
    locatedIn; a programme to those of its organizer; a person to those of
    the organisation of its affiliation; a figure to those of its subject.
    So the filter "吴江区" keeps 平望镇, the 平望镇 agency, the programmes that
    agency runs, the people who work there and the figures about them.
    """
    out = defaultdict(lambda: defaultdict(list))
    for u, v, d in G.edges(data=True):
        out[u][d["predicate"]].append(v)
    memo: dict[str, frozenset] = {}

    def homes(n: str, seen: frozenset = frozenset()) -> frozenset:
        if n in memo:
            return memo[n]
        if n in seen:                      # a cycle in partOf: stop there
            return frozenset()
        seen = seen | {n}
        kind = G.nodes[n]["type"]
        via = {"District": "partOf", "Agency": "locatedIn", "Enterprise": "locatedIn",
               "Institution": "locatedIn", "Program": "organizer", "Person": "affiliation",
               "Figure": "subject"}.get(kind)
        found = {n} if kind == "District" else set()
        for m in out[n].get(via, ()):
            if kind in ("Agency", "Enterprise", "Institution") and G.nodes[m]["type"] != "District":
                continue
            found |= homes(m, seen)
        memo[n] = frozenset(found)
        return memo[n]

    for n in G.nodes:
        G.nodes[n]["districts"] = sorted(homes(n))


# --- choosing a part of the graph -------------------------------------------------

def find_districts(G: nx.MultiDiGraph, name: str) -> list[str]:
    """District nodes called `name` (label or alias) or with that adminCode."""
    hits = []
    for n, d in G.nodes(data=True):
        if d["type"] != "District":
            continue
        codes = dict((k, v) for k, v in d["info"]).get("adminCode", [])
        if name in d["names"] or name in codes:
            hits.append(n)
    return sorted(hits)


def find_articles(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Article IRIs whose source file is `name` (or its base name: a path works too)."""
    base = Path(name).name
    return sorted(a for a, rec in G.graph["articles"].items() if rec["file"] in (name, base))


def select(G: nx.MultiDiGraph, districts=(), articles=()) -> nx.MultiDiGraph:
    """The part of G in any of `districts` and mentioned in any of `articles`.

    Empty means no restriction. Each kept node keeps all it knows (all its
    articles, names and figures); edges to dropped nodes go.
    """
    districts, articles = set(districts), set(articles)

    def wanted(d) -> bool:
        if districts and not districts & set(d["districts"]):
            return False
        return not articles or bool(articles & set(d["articles"]))

    keep = [n for n, d in G.nodes(data=True) if wanted(d)]
    sub = G.subgraph(keep).copy()
    sub.graph.update(G.graph)
    return sub


# --- pyvis -------------------------------------------------------------------------

def _size(articles: int, kind: str) -> float:
    """Node radius: grows with the square root of the number of articles."""
    if kind == "Figure":
        return 6
    return round(9 + 7 * math.sqrt(max(articles, 1)), 1)


def to_pyvis(G: nx.MultiDiGraph, ids: dict[str, int]):
    """A pyvis Network holding the nodes and edges with their display attributes.

    Nodes are numbered (ids) to keep the page small; the IRI is kept in `iri`.
    """
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="remote", height="100%", width="100%")
    big_edges = G.number_of_edges() > HUGE_EDGES
    for n, d in G.nodes(data=True):
        zh, colour, shape = TYPE_STYLE[d["type"]]
        net.add_node(ids[n], label=d["label"], color=colour, shape=shape,
                     size=_size(len(d["articles"]), d["type"]), kind=d["type"], iri=n,
                     physics=d["type"] != "Figure")
    for u, v, d in G.edges(data=True):
        pred = d["predicate"]
        zh, colour = RELATIONS.get(pred, SUBJECT_EDGE)
        extra = {} if big_edges else {"label": zh}
        net.add_edge(ids[u], ids[v], predicate=pred, color=colour, arrows="to",
                     physics=pred != "subject", **extra)
    return net


def layout_options(n_nodes: int, n_edges: int) -> dict:
    """vis-network options: a nicer layout for small graphs, a fast one for big ones.

    Past BIG nodes: barnesHut (an O(n log n) solver; forceAtlas2Based is
    similar but slower per iteration), no improvedLayout (its Kamada-Kawai
    pre-pass is quadratic), fewer stabilisation iterations; past 2000 nodes 60
    iterations and a coarser Barnes-Hut theta (each iteration of 5000 nodes
    costs 0.1-0.3 s in headless Chromium without a GPU). Past HUGE_EDGES
    edges: straight edges (smooth curves add a support node per edge to the
    simulation) hidden while dragging/zooming. bench/explorer.py measures it.
    """
    big, many_edges = n_nodes > BIG, n_edges > HUGE_EDGES
    if big:
        physics = {
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "centralGravity": 0.4,
                          "springLength": 90, "springConstant": 0.05, "damping": 0.35,
                          "avoidOverlap": 0, "theta": 0.5 if n_nodes <= 2000 else 0.8},
            "stabilization": {"iterations": 150 if n_nodes <= 2000 else 60,
                              "updateInterval": 10, "fit": True},
            "maxVelocity": 60, "minVelocity": 1.5, "timestep": 0.6,
        }
    else:
        physics = {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110,
                                 "avoidOverlap": 0.3},
            "stabilization": {"iterations": 300, "updateInterval": 25, "fit": True},
        }
    return {
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 10, "align": "middle", "color": "#555"},
            "smooth": False if many_edges else {"type": "continuous"},
            "width": 1.2,
        },
        "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": many_edges,
                        "hideEdgesOnZoom": many_edges, "navigationButtons": False,
                        "keyboard": False},
        "layout": {"improvedLayout": n_nodes <= IMPROVED, "randomSeed": 7},
        "physics": physics,
    }


# --- the page ---------------------------------------------------------------------

def _vis_assets() -> tuple[str, str]:
    """The vis-network JS and CSS shipped inside the pyvis package."""
    import pyvis

    root = Path(pyvis.__file__).resolve().parent
    for base in (root / "templates" / "lib", root / "lib"):
        dirs = sorted(base.glob("vis-*"), reverse=True) if base.is_dir() else []
        for d in dirs:
            js, css = d / "vis-network.min.js", d / "vis-network.css"
            if js.is_file() and css.is_file():
                return js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
    raise FileNotFoundError(f"vis-network not found inside the pyvis package at {root}")


def json_for_script(obj) -> str:
    """JSON that is safe inside <script>: nothing in it can close the tag."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
             .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _inline(code: str, tag: str) -> str:
    """Library code made safe to sit between <tag> and </tag>."""
    return code.replace(f"</{tag}", f"<\\/{tag}")


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: "PingFang SC", "Microsoft YaHei",
  "Noto Sans CJK SC", system-ui, sans-serif; color: #222; }
#app { display: flex; height: 100vh; }
#side { width: 300px; flex: none; overflow-y: auto; padding: 12px 14px;
  border-right: 1px solid #ddd; box-sizing: border-box; background: #fafafa; font-size: 13px; }
#side h1 { font-size: 16px; margin: 0 0 6px; }
.stats { font-size: 12px; color: #666; margin-bottom: 10px; }
.field { margin: 6px 0; }
.field label { display: block; font-size: 12px; color: #666; margin-bottom: 2px; }
#search, select { width: 100%; box-sizing: border-box; padding: 5px 7px; font-size: 13px; }
#results { list-style: none; margin: 2px 0 0; padding: 0; border: 1px solid #ddd; background: #fff; }
#results:empty { display: none; }
#results li { padding: 3px 7px; cursor: pointer; }
#results li:hover, #results li.active { background: #e8f0fe; }
#results .alias { color: #888; font-size: 11px; margin-left: 6px; }
#results .nohit { color: #999; cursor: default; }
#legend { list-style: none; padding: 0; margin: 8px 0; }
#legend li { display: flex; align-items: center; gap: 6px; padding: 1px 0; cursor: pointer;
  user-select: none; }
#legend li.off { opacity: 0.35; text-decoration: line-through; }
#legend svg { flex: none; }
#legend .en { color: #999; font-size: 11px; }
#legend .count { color: #888; margin-left: auto; }
#edge-legend { font-size: 12px; color: #555; margin: 0 0 8px; padding: 0; list-style: none; }
#edge-legend .line { display: inline-block; width: 18px; height: 3px; vertical-align: middle;
  margin-right: 6px; }
.row { display: flex; gap: 8px; align-items: center; margin: 6px 0; }
button { font-size: 12px; padding: 3px 8px; cursor: pointer; }
#details { width: 380px; flex: none; overflow-y: auto; padding: 12px 14px; box-sizing: border-box;
  border-left: 1px solid #ddd; background: #fff; font-size: 13px; line-height: 1.5; }
#details h2 { font-size: 15px; margin: 0 0 4px; word-break: break-all; }
#details h3 { font-size: 13px; margin: 10px 0 3px; color: #444; }
#details .badge { display: inline-block; color: #fff; border-radius: 3px; padding: 0 5px;
  font-size: 11px; }
#details table { border-collapse: collapse; width: 100%; font-size: 12px; }
#details th, #details td { text-align: left; vertical-align: top; padding: 2px 4px;
  border-bottom: 1px solid #eee; }
#details th { color: #777; font-weight: normal; }
#details td.num { text-align: right; white-space: nowrap; }
#details ul { margin: 2px 0; padding-left: 16px; }
#details .link { color: #1a5fb4; cursor: pointer; text-decoration: underline; }
#details .art { margin-top: 6px; font-weight: bold; }
#details .file { color: #999; font-weight: normal; font-size: 11px; }
#details .sent { margin: 3px 0 3px 8px; padding-left: 6px; border-left: 3px solid #ddd; }
#details mark { background: #fff2a8; }
#details .iri { color: #aaa; font-size: 10px; word-break: break-all; margin-top: 8px; }
#main { flex: 1; position: relative; }
#network { position: absolute; inset: 0; }
#loading { position: absolute; top: 10px; right: 12px; background: rgba(255,255,255,0.9);
  padding: 4px 8px; border: 1px solid #ddd; border-radius: 4px; font-size: 12px; color: #555; }
#loading.done { display: none; }
.kg-tip { max-width: 320px; font-size: 12px; }
.hint { font-size: 12px; color: #888; }
"""

PAGE_JS = r"""
(function () {
  "use strict";
  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var STYLE = DATA.types, RELS = DATA.relations;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  // --- data --------------------------------------------------------------------
  var byId = {}, out = {}, inc = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; out[n.id] = []; inc[n.id] = []; });
  DATA.edges.forEach(function (e) { out[e.from].push(e); inc[e.to].push(e); });

  // every name (label or alias) -> node ids
  var index = [];
  DATA.nodes.forEach(function (n) {
    if (n.kind === "Figure") return;
    n.names.forEach(function (name, i) {
      index.push({key: name.toLowerCase(), name: name, id: n.id, alias: i > 0});
    });
  });

  // --- filters -----------------------------------------------------------------
  var state = {off: {}, district: "", article: "", figures: !!DATA.showFigures};
  function visible(n) {
    if (state.off[n.kind]) return false;
    if (n.kind === "Figure" && !state.figures) return false;
    if (state.district !== "" && n.dists.indexOf(+state.district) < 0) return false;
    if (state.article !== "" && n.arts.indexOf(+state.article) < 0) return false;
    return true;
  }
  DATA.nodes.forEach(function (n) { n.hidden = !visible(n); });

  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    return {id: n.id, label: n.label, color: n.color, shape: n.shape, size: n.size,
            hidden: n.hidden, physics: n.physics};
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e, i) {
    return {id: i, from: e.from, to: e.to, label: e.label, color: e.color, arrows: e.arrows,
            physics: e.physics};
  }));
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  var loading = document.getElementById("loading");
  window.kgTimes = {script: T0, network: performance.now()};   // for bench/explorer.py

  function stable() {
    network.setOptions({physics: false});     // layout done: keep the page responsive
    placeFigures();
    loading.className = "done";
    document.body.setAttribute("data-stable", "1");
    window.kgStableAt = performance.now();
  }
  network.on("stabilizationProgress", function (p) {
    loading.textContent = "布局中 layout " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", stable);
  if (!DATA.nodes.length) stable();

  // figures take no part in the layout: they sit next to their subject
  function placeFigures() {
    var subj = DATA.nodes.filter(function (n) { return n.kind === "Figure" && n.subj !== null; });
    var pos = network.getPositions(subj.map(function (n) { return n.subj; }));
    var k = {};
    nodes.update(subj.map(function (n) {
      var p = pos[n.subj] || {x: 0, y: 0}, i = (k[n.subj] = (k[n.subj] || 0) + 1);
      var a = i * 2.4, r = 45 + 6 * i;
      return {id: n.id, x: p.x + r * Math.cos(a), y: p.y + r * Math.sin(a)};
    }));
  }

  function applyFilters(fit) {
    var changes = [], shown = [];
    DATA.nodes.forEach(function (n) {
      var h = !visible(n);
      if (h !== n.hidden) { n.hidden = h; changes.push({id: n.id, hidden: h}); }
      if (!h) shown.push(n.id);
    });
    if (changes.length) nodes.update(changes);
    document.getElementById("shown").textContent = shown.length;
    if (fit && shown.length) network.fit({nodes: shown, animation: false});
  }

  Array.prototype.forEach.call(document.querySelectorAll("#legend li"), function (li) {
    li.addEventListener("click", function () {
      var t = li.getAttribute("data-type");
      state.off[t] = !state.off[t];
      li.classList.toggle("off", !!state.off[t]);
      applyFilters(false);
    });
  });

  function fillSelect(sel, items) {
    items.forEach(function (it) {
      var o = el("option", null, it[1]);
      o.value = String(it[0]);
      sel.appendChild(o);
    });
  }
  var dsel = document.getElementById("district"), asel = document.getElementById("article");
  var figbox = document.getElementById("figures");
  fillSelect(dsel, DATA.districts.map(function (d) {
    return [d.id, byId[d.id].label + (d.code ? " " + d.code : "") + " (" + d.count + ")"];
  }));
  fillSelect(asel, DATA.articles.map(function (a, i) {
    return [i, (a.title || a.file) + (a.published ? " · " + a.published : "")];
  }));
  dsel.addEventListener("change", function () { state.district = dsel.value; applyFilters(true); });
  asel.addEventListener("change", function () { state.article = asel.value; applyFilters(true); });
  figbox.checked = state.figures;
  figbox.addEventListener("change", function () { state.figures = figbox.checked; applyFilters(false); });
  document.getElementById("reset").addEventListener("click", resetFilters);
  function resetFilters() {
    state.off = {}; state.district = ""; state.article = "";
    dsel.value = ""; asel.value = "";
    Array.prototype.forEach.call(document.querySelectorAll("#legend li"), function (li) {
      li.classList.remove("off");
    });
    applyFilters(true);
  }

  // --- the detail panel ----------------------------------------------------------
  var details = document.getElementById("details");

  function link(id) {
    var a = el("span", "link", byId[id].label);
    a.addEventListener("click", function () { focus(id); });
    return a;
  }

  // a sentence with the given names marked (text nodes and <mark> only)
  function marked(text, names) {
    var box = el("div", "sent"), pos = 0;
    var spans = [];
    names.forEach(function (nm) {
      if (!nm) return;
      var i = text.indexOf(nm);
      while (i >= 0) { spans.push([i, i + nm.length]); i = text.indexOf(nm, i + nm.length); }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    spans.forEach(function (s) {
      if (s[0] < pos) return;
      box.appendChild(document.createTextNode(text.slice(pos, s[0])));
      box.appendChild(el("mark", null, text.slice(s[0], s[1])));
      pos = s[1];
    });
    box.appendChild(document.createTextNode(text.slice(pos)));
    return box;
  }

  function table(head, rows) {
    var t = el("table"), tr = el("tr");
    head.forEach(function (h) { tr.appendChild(el("th", null, h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (c, i) {
        var td = el("td", i === 0 ? "num" : null);
        if (c instanceof Node) td.appendChild(c); else td.textContent = c;
        row.appendChild(td);
      });
      t.appendChild(row);
    });
    return t;
  }

  // articles and the sentences behind a node, grouped by article
  function evidence(sentIds, artIds, names) {
    var box = el("div"), byArt = {};
    artIds.forEach(function (a) { byArt[a] = []; });
    sentIds.forEach(function (s) {
      var rec = DATA.sentences[s];
      (byArt[rec.a] = byArt[rec.a] || []).push(rec);
    });
    Object.keys(byArt).sort(function (a, b) { return a - b; }).forEach(function (a) {
      var art = DATA.articles[a], head = el("div", "art", art.title || art.file);
      head.appendChild(el("span", "file", " " + art.file + (art.published ? " · " + art.published : "")));
      box.appendChild(head);
      byArt[a].sort(function (x, y) { return x.i - y.i; }).forEach(function (rec) {
        box.appendChild(marked(rec.t, names));
      });
    });
    return box;
  }

  function figureRows(ids, withSubject) {
    return ids.map(function (id) {
      var f = byId[id].fig;
      var row = [(f.approx ? "约" : "") + f.value, f.unit, f.measure, f.period];
      if (withSubject) row.push(byId[id].subj !== null ? link(byId[id].subj) : "");
      return row;
    });
  }

  function showPanel(id) {
    clear(details);
    var n = byId[id];
    if (!n) { details.appendChild(el("div", "hint", "点击节点查看详情 · click a node for details")); return; }
    var st = STYLE[n.kind];
    details.appendChild(el("h2", null, n.label));
    var badge = el("span", "badge", st.zh + " " + n.kind);
    badge.style.background = st.color;
    details.appendChild(badge);
    if (n.kind === "Figure") return figurePanel(n);

    if (n.names.length > 1) {
      details.appendChild(el("h3", null, "名称 names"));
      details.appendChild(el("div", "names", n.names.join("、")));
    }
    var facts = n.info.map(function (kv) { return [DATA.infoNames[kv[0]] || kv[0], kv[1].join("、")]; });
    facts.push(["提及文章 articles", String(n.arts.length)]);
    var ft = el("table");
    facts.forEach(function (kv) {
      var tr = el("tr"); tr.appendChild(el("th", null, kv[0])); tr.appendChild(el("td", null, kv[1]));
      ft.appendChild(tr);
    });
    details.appendChild(ft);

    var relItems = [];
    out[id].forEach(function (e) {
      if (e.predicate !== "subject") relItems.push([RELS[e.predicate] + " " + e.predicate + " → ", e.to]);
    });
    inc[id].forEach(function (e) {
      if (e.predicate !== "subject") relItems.push(["← " + RELS[e.predicate] + " " + e.predicate + " ", e.from]);
    });
    if (relItems.length) {
      details.appendChild(el("h3", null, "关系 relations (" + relItems.length + ")"));
      var ul = el("ul", "rels");
      relItems.forEach(function (r) { var li = el("li", null, r[0]); li.appendChild(link(r[1])); ul.appendChild(li); });
      details.appendChild(ul);
    }
    if (n.figs.length) {
      details.appendChild(el("h3", null, "统计数据 figures (" + n.figs.length + ")"));
      details.appendChild(table(["数值 value", "单位 unit", "指标 measure", "时间 period"],
                                figureRows(n.figs, false)));
    }
    var sents = n.sents.slice();
    n.figs.forEach(function (f) { byId[f].fig.sents.forEach(function (s) { if (sents.indexOf(s) < 0) sents.push(s); }); });
    details.appendChild(el("h3", null, "文章与证据 articles & evidence"));
    details.appendChild(evidence(sents, n.arts, n.names));
    details.appendChild(el("div", "iri", n.iri));
  }

  function figurePanel(n) {
    var f = n.fig;
    details.appendChild(table(["数值 value", "单位 unit", "指标 measure", "时间 period", "对象 subject"],
                              figureRows([n.id], true)));
    if (f.raw) details.appendChild(el("div", "hint", "原文数字 raw: " + f.raw));
    details.appendChild(el("h3", null, "原文 clause"));
    details.appendChild(el("div", "clause", f.text));
    details.appendChild(el("h3", null, "文章与证据 article & evidence"));
    details.appendChild(evidence(f.sents, n.arts, [f.text]));
    details.appendChild(el("div", "iri", n.iri));
  }

  network.on("click", function (params) {
    showPanel(params.nodes.length ? params.nodes[0] : null);
  });
  network.on("hoverNode", function (params) {          // tooltips made on demand
    var n = byId[params.node];
    if (n.tipDone) return;
    n.tipDone = true;
    var tip = el("div", "kg-tip", n.label + " · " + STYLE[n.kind].zh);
    nodes.update({id: n.id, title: tip});
  });

  // --- search --------------------------------------------------------------------
  function focus(id) {
    if (byId[id].hidden) resetFilters();
    if (byId[id].hidden) { state.figures = true; figbox.checked = true; applyFilters(false); }
    network.selectNodes([id]);
    network.focus(id, {scale: 1.3, animation: false});
    showPanel(id);
  }

  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var seen = {}, ranked = [];
    index.forEach(function (it) {
      var rank = it.key === q ? 0 : it.key.indexOf(q) === 0 ? 1 : it.key.indexOf(q) > 0 ? 2 : -1;
      if (rank < 0) return;
      ranked.push([rank + (it.alias ? 0.5 : 0), it.name.length, it]);
    });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return ranked.filter(function (r) {
      if (seen[r[2].id]) return false;
      seen[r[2].id] = true;
      return true;
    }).slice(0, 12).map(function (r) { return r[2]; });
  }

  var search = document.getElementById("search"), results = document.getElementById("results");
  function showResults() {
    clear(results);
    var q = search.value.trim();
    if (!q) return;
    var hits = matches(q);
    if (!hits.length) { results.appendChild(el("li", "nohit", "没有找到 no match")); return; }
    hits.forEach(function (it, i) {
      var li = el("li", i === 0 ? "active" : null, byId[it.id].label);
      if (it.alias) li.appendChild(el("span", "alias", "= " + it.name));
      li.appendChild(el("span", "alias", STYLE[byId[it.id].kind].zh));
      li.addEventListener("click", function () { focus(it.id); clear(results); });
      results.appendChild(li);
    });
  }
  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hits = matches(search.value);
      if (hits.length) { focus(hits[0].id); clear(results); }
    } else if (ev.key === "Escape") { clear(results); }
  });

  applyFilters(false);
  window.kgExplorer = {network: network, nodes: nodes, edges: edges, data: DATA, focus: focus,
                       state: state, byLabel: function (label) {
                         var n = DATA.nodes.filter(function (x) { return x.label === label; })[0];
                         return n ? n.id : null; }};
})();
"""


def _legend_icon(shape: str, colour: str) -> str:
    """A 14px SVG of a vis-network shape, for the legend (our own markup, no text from articles)."""
    pts = {
        "triangle": "7,1 13,13 1,13", "triangleDown": "1,1 13,1 7,13", "diamond": "7,0 14,7 7,14 0,7",
        "hexagon": "3.5,1 10.5,1 14,7 10.5,13 3.5,13 0,7",
        "star": "7,0 8.8,5 14,5 9.7,8.2 11.3,13.5 7,10.3 2.7,13.5 4.3,8.2 0,5 5.2,5",
    }
    if shape == "dot":
        body = f'<circle cx="7" cy="7" r="6" fill="{colour}"/>'
    elif shape == "square":
        body = f'<rect x="1" y="1" width="12" height="12" fill="{colour}"/>'
    else:
        body = f'<polygon points="{pts[shape]}" fill="{colour}"/>'
    return f'<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">{body}</svg>'


INFO_NAMES = {"adminCode": "区划代码 adminCode", "level": "级别 level", "role": "职务 role"}


def page_data(G: nx.MultiDiGraph, show_figures: bool = False) -> dict:
    """The JSON the page reads: nodes and edges (via pyvis), articles, sentences, options."""
    ids = {n: i for i, n in enumerate(sorted(G.nodes, key=lambda n: (G.nodes[n]["type"] == "Figure", n)))}
    net = to_pyvis(G, ids)
    vis_nodes, vis_edges, *_ = net.get_network_data()

    art_ix: dict[str, int] = {}
    sent_ix: dict[str, int] = {}
    articles, sentences = [], []

    def art(a: str) -> int:
        if a not in art_ix:
            art_ix[a] = len(articles)
            articles.append(G.graph["articles"].get(a, {"file": a, "title": "", "published": "", "url": ""}))
        return art_ix[a]

    def sent(s: str) -> int | None:
        rec = G.graph["sentences"].get(s)
        if rec is None:
            return None
        if s not in sent_ix:
            sent_ix[s] = len(sentences)
            sentences.append({"a": art(rec["article"]), "i": rec["index"], "t": rec["text"]})
        return sent_ix[s]

    for a in sorted(G.graph["articles"], key=lambda a: G.graph["articles"][a]["file"]):
        if any(a in d["articles"] for _, d in G.nodes(data=True)):
            art(a)

    nodes = []
    for v in vis_nodes:
        n = v["iri"]
        d = G.nodes[n]
        rec = {k: v[k] for k in ("id", "label", "color", "shape", "size", "kind", "iri", "physics")}
        rec["arts"] = [art(a) for a in d["articles"]]
        rec["dists"] = [ids[x] for x in d["districts"] if x in ids]
        sents = [sent(s) for s in d.get("sentences", [])]
        if d["type"] == "Figure":
            rec["subj"] = ids.get(d["subject"]) if d["subject"] else None
            rec["fig"] = {k: d[k] for k in ("value", "unit", "measure", "period", "text", "raw", "approx")}
            rec["fig"]["sents"] = [s for s in sents if s is not None]
        else:
            rec["names"] = d["names"]
            rec["info"] = d["info"]
            rec["sents"] = [s for s in sents if s is not None]
            rec["figs"] = [ids[f] for f in d["figures"] if f in ids]
        nodes.append(rec)

    edges = [{k: e[k] for k in ("from", "to", "label", "predicate", "color", "arrows", "physics") if k in e}
             for e in vis_edges]
    in_district = Counter(x for _, d in G.nodes(data=True) if d["type"] != "Figure" for x in d["districts"])
    districts = [{"id": ids[n], "code": _one(dict(G.nodes[n]["info"]).get("adminCode", [])),
                  "count": in_district[n]}
                 for n in sorted((n for n in in_district if n in ids),
                                 key=lambda n: (-in_district[n], G.nodes[n]["label"]))]
    n_layout = sum(1 for _, d in G.nodes(data=True) if d["type"] != "Figure")
    return {
        "nodes": nodes, "edges": edges, "articles": articles, "sentences": sentences,
        "districts": districts, "showFigures": show_figures, "infoNames": INFO_NAMES,
        "types": {t: {"zh": zh, "color": c} for t, (zh, c, _) in TYPE_STYLE.items()},
        "relations": {p: zh for p, (zh, _) in RELATIONS.items()} | {"subject": SUBJECT_EDGE[0]},
        "options": layout_options(n_layout, G.number_of_edges()),
    }


def render_html(G: nx.MultiDiGraph, title: str = DEFAULT_TITLE, show_figures: bool = False,
                options: dict | None = None) -> str:
    """The page for a graph from build_nx. options: replace the vis-network options (benchmarks)."""
    data = page_data(G, show_figures=show_figures)
    if options is not None:
        data["options"] = options
    js, css = _vis_assets()
    js = _inline(js, "script")

    counts = Counter(d["type"] for _, d in G.nodes(data=True))
    legend = []
    for t in list(ENTITY_TYPES) + ["Figure"]:
        zh, colour, shape = TYPE_STYLE[t]
        legend.append(
            f'<li data-type="{html.escape(t)}">{_legend_icon(shape, colour)}{html.escape(zh)} '
            f'<span class="en">{html.escape(t)}</span>'
            f'<span class="count">{counts.get(t, 0)}</span></li>')
    edge_legend = [
        f'<li><span class="line" style="background:{c}"></span>{html.escape(zh)} {html.escape(p)}</li>'
        for p, (zh, c) in list(RELATIONS.items()) + [("subject", SUBJECT_EDGE)]
    ]
    n_entities = sum(v for k, v in counts.items() if k != "Figure")
    csp = (f"default-src 'none'; script-src {_csp_hash(js)} {_csp_hash(PAGE_JS)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    t = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{t}</title>
<style>
{_inline(css, "style")}
</style>
<style>{PAGE_CSS}</style>
</head>
<body>
<div id="app">
  <div id="side">
    <h1>{t}</h1>
    <div class="stats">{n_entities} 个实体 entities · {counts.get("Figure", 0)} 项统计 figures ·
      {len(data["articles"])} 篇文章 articles · 显示 shown <span id="shown">0</span></div>
    <div class="field"><input id="search" type="search" placeholder="搜索名称或别名 search a name or alias…"
      autocomplete="off" aria-label="search"><ul id="results"></ul></div>
    <div class="field"><label for="district">行政区划 district</label>
      <select id="district"><option value="">全部 all</option></select></div>
    <div class="field"><label for="article">文章 article</label>
      <select id="article"><option value="">全部 all</option></select></div>
    <div class="row"><label><input id="figures" type="checkbox"> 显示统计数据 show figures</label>
      <button id="reset" type="button">重置 reset</button></div>
    <ul id="legend">
      {"".join(legend)}
    </ul>
    <ul id="edge-legend">
      {"".join(edge_legend)}
    </ul>
    <div class="hint">点击图例隐藏/显示该类型；节点大小 = 提及文章数。<br>
    Click a legend entry to hide/show a type; node size = number of articles.</div>
  </div>
  <div id="main"><div id="network"></div><div id="loading">布局中 layout…</div></div>
  <div id="details" aria-live="polite"><div class="hint">点击节点查看详情 · click a node for details</div></div>
</div>
<script type="application/json" id="kg-data">{json_for_script(data)}</script>
<script>{js}</script>
<script>{PAGE_JS}</script>
</body>
</html>
"""


def write_explorer(graph, path, title: str = DEFAULT_TITLE, figures: bool = False,
                   min_articles: int = 0, districts=(), articles=()) -> Path:
    """Write the explorer page for `graph` (a Store, a Graph or a Dataset) to `path`.

    figures: show the figures as nodes when the page opens (they are always in
    the page, behind the "show figures" box, and in their subject's panel).
    min_articles: leave out entities mentioned in fewer articles.
    districts / articles: only that part of the graph (district names, aliases
    or codes; article source files); ValueError when one names nothing.
    """
    G = build_nx(graph, min_articles=min_articles)
    if districts or articles:
        G = select(G, _resolve(G, districts, find_districts, "district"),
                   _resolve(G, articles, find_articles, "article"))
    page = render_html(G, title=title, show_figures=figures)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from .export import atomic_write             # never a half-written page, even if killed
    with atomic_write(path, "w") as f:
        f.write(page)
    return path


def _resolve(G, names, finder, what: str) -> list[str]:
    """IRIs for names; a name that matches nothing is an error naming close candidates."""
    found = []
    for name in names:
        hits = finder(G, name)
        if not hits:
            if what == "district":
                near = sorted({G.nodes[n]["label"] for n in G.nodes
                               if G.nodes[n]["type"] == "District"
                               and any(name in x or x in name for x in G.nodes[n]["names"])})
            else:
                near = sorted(r["file"] for r in G.graph["articles"].values() if name[:8] in r["file"])
            hint = f"; did you mean: {', '.join(near[:8])}" if near else ""
            raise ValueError(f"no {what} called {name!r} in the graph{hint}")
        found += hits
    return found
