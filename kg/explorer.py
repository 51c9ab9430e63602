"""The interactive explorer: one self-contained HTML page of the graph.

    write_explorer(graph, "exports/explorer.html")

Nodes are the entities of the nine types (optionally the figures too), edges
the relations partOf, locatedIn, affiliation, organizer (and a figure's
subject). The networkx graph built from the RDF is handed to pyvis for the
node/edge/option data; the page itself is assembled here, because pyvis's own
template loads vis-network and Bootstrap from CDNs even in "in_line" mode (and
"local" mode copies a lib/ folder into the working directory).

The page makes no network request at all: the vis-network JS and CSS pyvis
ships are inlined, and nothing else is referenced (CSS images are data: URIs).

Article text is never parsed as HTML:
  - graph data travels as JSON in a <script type="application/json"> block,
    with <, >, & escaped as \\u003c \\u003e \\u0026 so no name can close it;
  - tooltips and the detail panel are DOM elements built with textContent
    (vis-network 9 takes an Element as a node's title), never HTML strings;
  - the few strings put into markup directly (page title, legend) go through
    html.escape.
"""
from __future__ import annotations

import html
import json
import math
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

import networkx as nx
from rdflib import Graph, Literal, URIRef

from .model import ENTITY_TYPES
from .namespace import KG, RDF, RDFS, SKOS

DEFAULT_TITLE = "就业公共服务知识图谱 · jiuye-kg explorer"

# type -> (Chinese name, colour)
TYPE_STYLE = {
    "District": ("行政区划", "#4e79a7"),
    "Agency": ("机构", "#e15759"),
    "Program": ("项目", "#f28e2b"),
    "Enterprise": ("企业", "#59a14f"),
    "Person": ("人物", "#b07aa1"),
    "Institution": ("院校", "#76b7b2"),
    "Policy": ("政策", "#edc948"),
    "TargetGroup": ("服务对象", "#ff9da7"),
    "Publisher": ("发布者", "#9c755f"),
    "Figure": ("统计数据", "#bab0ac"),
}

# predicate -> (Chinese name, edge colour)
RELATIONS = {
    "partOf": ("隶属于", "#4e79a7"),
    "locatedIn": ("位于", "#59a14f"),
    "affiliation": ("任职于", "#b07aa1"),
    "organizer": ("主办方", "#f28e2b"),
}
SUBJECT_EDGE = ("统计对象", "#bab0ac")

MAX_LIST = 12      # relations / names listed per kind in a tooltip
MAX_FIGURES = 15   # figures listed in a tooltip


# --- reading the RDF ----------------------------------------------------------

def _union(graph) -> Graph:
    """A plain Graph holding every triple of a Graph, ConjunctiveGraph or Dataset."""
    if not hasattr(graph, "quads"):
        return graph
    g = Graph()
    for s, p, o, _ in graph.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(lit) -> str:
    return str(lit)


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


def _pick_label(labels: list[str]) -> str:
    """The name to show: the longest (most complete) form, then the first alphabetically."""
    return sorted(labels, key=lambda s: (-len(s), s))[0] if labels else ""


def _figure_record(g: Graph, f) -> dict:
    def one(p):
        v = g.value(f, p)
        return _text(v) if v is not None else ""
    value = g.value(f, KG.value)
    rec = {
        "value": _number(value) if value is not None else "?",
        "unit": one(KG.unit),
        "measure": one(KG.measure),
        "period": one(KG.period),
        "text": one(KG.text),
        "approx": str(g.value(f, KG.approx)).lower() == "true",
    }
    art = g.value(f, KG.reportedIn)
    rec["source"] = _text(g.value(art, KG.sourceFile)) if art is not None else ""
    return rec


def _figure_line(rec: dict) -> str:
    s = ("约" if rec["approx"] else "") + rec["value"] + " " + rec["unit"]
    if rec["measure"]:
        s += " " + rec["measure"]
    if rec["period"]:
        s += f" ({rec['period']})"
    return s


def build_nx(graph, figures: bool = False, min_articles: int = 0) -> nx.MultiDiGraph:
    """The entity graph as networkx: node attributes carry what the page shows.

    Node ids are the IRIs (strings). Attributes: label, type, articles (number
    of articles mentioning it), tip (the tooltip's structured content).
    """
    g = _union(graph)
    G = nx.MultiDiGraph()
    labels: dict[URIRef, str] = {}
    types: dict[URIRef, str] = {}

    for t in ENTITY_TYPES:
        for e in g.subjects(RDF.type, KG[t]):
            if isinstance(e, URIRef) and e not in types:
                types[e] = t
    for e in types:
        names = [_text(x) for x in g.objects(e, RDFS.label)]
        names += [_text(x) for x in g.objects(e, SKOS.prefLabel)]
        labels[e] = _pick_label(names) or _local(e)

    articles = {e: len(set(g.objects(e, KG.mentionedIn))) for e in types}
    keep = {e for e in types if articles[e] >= min_articles}

    figs_of: dict[URIRef, list[dict]] = defaultdict(list)
    figure_nodes = []
    for f in g.subjects(RDF.type, KG.Figure):
        rec = _figure_record(g, f)
        subj = g.value(f, KG.subject)
        if subj in keep:
            figs_of[subj].append(rec)
        figure_nodes.append((f, rec, subj))

    out_rel: dict[URIRef, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    in_rel: dict[URIRef, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    edges = []
    for pred in RELATIONS:
        for s, o in g.subject_objects(KG[pred]):
            if s in keep and o in keep:
                edges.append((s, o, pred))
                out_rel[s][pred].append(labels[o])
                in_rel[o][pred].append(labels[s])

    for e in sorted(keep, key=str):
        t = types[e]
        names = sorted({_text(x) for x in g.objects(e, RDFS.label)}
                       | {_text(x) for x in g.objects(e, SKOS.altLabel)}
                       | {_text(x) for x in g.objects(e, SKOS.prefLabel)})
        names = [n for n in names if n != labels[e]]
        facts: list[list[str]] = [["类型 type", f"{TYPE_STYLE[t][0]} {t}"]]
        if names:
            facts.append(["别名 names", _clip_join(names)])
        for prop, name in (("adminCode", "区划代码 adminCode"), ("level", "级别 level"),
                           ("role", "职务 role")):
            vals = sorted({_text(x) for x in g.objects(e, KG[prop])})
            if vals:
                facts.append([name, _clip_join(vals)])
        for pred, (zh, _) in RELATIONS.items():
            if out_rel[e].get(pred):
                facts.append([f"{zh} {pred} →", _clip_join(sorted(set(out_rel[e][pred])))])
        for pred, (zh, _) in RELATIONS.items():
            if in_rel[e].get(pred):
                facts.append([f"← {zh} {pred}", _clip_join(sorted(set(in_rel[e][pred])))])
        facts.append(["文章数 articles", str(articles[e])])
        figs = figs_of.get(e, [])
        tip = {
            "heading": labels[e],
            "facts": facts,
            "figures": [_figure_line(r) + (f" · {r['source']}" if r["source"] else "")
                        for r in figs[:MAX_FIGURES]],
            "moreFigures": max(0, len(figs) - MAX_FIGURES),
            "figureCount": len(figs),
            "iri": str(e),
        }
        G.add_node(str(e), label=labels[e], type=t, articles=articles[e], tip=tip)

    for s, o, pred in edges:
        G.add_edge(str(s), str(o), predicate=pred)

    if figures:
        for f, rec, subj in figure_nodes:
            tip = {
                "heading": _figure_line(rec),
                "facts": [["类型 type", "统计数据 Figure"],
                          ["原文 text", rec["text"]],
                          ["出处 source", rec["source"]]],
                "figures": [], "moreFigures": 0, "figureCount": 0, "iri": str(f),
            }
            G.add_node(str(f), label=f"{rec['value']}{rec['unit']}", type="Figure",
                       articles=1, tip=tip)
            if subj in keep:
                G.add_edge(str(f), str(subj), predicate="subject")
    return G


def _clip_join(items: list[str], limit: int = MAX_LIST) -> str:
    shown = "、".join(items[:limit])
    if len(items) > limit:
        shown += f" … (+{len(items) - limit})"
    return shown


# --- pyvis -------------------------------------------------------------------

def _size(articles: int, kind: str) -> float:
    if kind == "Figure":
        return 5
    return round(8 + 7 * math.sqrt(max(articles, 1)), 1)


def to_pyvis(G: nx.MultiDiGraph):
    """A pyvis Network holding the nodes and edges with their display attributes."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="remote", height="100%", width="100%")
    for n, d in G.nodes(data=True):
        zh, colour = TYPE_STYLE[d["type"]]
        net.add_node(
            n, label=d["label"], color=colour,
            shape="square" if d["type"] == "Figure" else "dot",
            size=_size(d["articles"], d["type"]), tip=d["tip"], articles=d["articles"],
            kind=d["type"],
        )
    for u, v, d in G.edges(data=True):
        pred = d["predicate"]
        zh, colour = RELATIONS.get(pred, SUBJECT_EDGE)
        net.add_edge(u, v, label=zh, predicate=pred, color=colour, arrows="to")
    return net


def _options(n_nodes: int) -> dict:
    return {
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14, "face": "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 10, "align": "middle", "color": "#555"},
            "smooth": {"type": "continuous"},
            "width": 1.2,
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n_nodes > 800},
        "layout": {"improvedLayout": n_nodes <= 300},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110,
                                 "avoidOverlap": 0.2},
            "stabilization": {"iterations": 250 if n_nodes <= 1500 else 120},
        },
    }


# --- the page ------------------------------------------------------------------

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


PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: "PingFang SC", "Microsoft YaHei",
  "Noto Sans CJK SC", system-ui, sans-serif; color: #222; }
#app { display: flex; height: 100vh; }
#side { width: 300px; flex: none; overflow-y: auto; padding: 12px 14px;
  border-right: 1px solid #ddd; box-sizing: border-box; background: #fafafa; }
#side h1 { font-size: 16px; margin: 0 0 8px; }
#side .stats { font-size: 12px; color: #666; margin-bottom: 10px; }
#search { width: 100%; box-sizing: border-box; padding: 5px 7px; font-size: 13px; }
#legend { list-style: none; padding: 0; margin: 12px 0; font-size: 13px; }
#legend li { display: flex; align-items: center; gap: 6px; padding: 2px 0; cursor: pointer;
  user-select: none; }
#legend li.off { opacity: 0.35; }
#legend .swatch { width: 12px; height: 12px; border-radius: 50%; flex: none;
  border: 1px solid rgba(0,0,0,0.25); }
#legend .sq { border-radius: 2px; }
#legend .count { color: #888; margin-left: auto; }
#edge-legend { font-size: 12px; color: #555; margin: 0 0 10px; padding: 0; list-style: none; }
#edge-legend .line { display: inline-block; width: 18px; height: 3px; vertical-align: middle;
  margin-right: 6px; }
#details { font-size: 13px; border-top: 1px solid #ddd; padding-top: 8px; }
#network { flex: 1; position: relative; }
.kg-tip { max-width: 420px; font-size: 12px; line-height: 1.45; white-space: normal; }
.kg-tip h3 { font-size: 14px; margin: 0 0 4px; }
.kg-tip table { border-collapse: collapse; }
.kg-tip td { vertical-align: top; padding: 1px 6px 1px 0; }
.kg-tip td.k { color: #777; white-space: nowrap; }
.kg-tip ul { margin: 2px 0 0 16px; padding: 0; }
.kg-tip .iri { color: #999; font-size: 10px; word-break: break-all; margin-top: 4px; }
.hint { font-size: 12px; color: #888; }
"""

PAGE_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // A tooltip / detail panel as DOM nodes; every string goes in via textContent.
  function buildTip(tip) {
    var box = el("div", "kg-tip");
    box.appendChild(el("h3", null, tip.heading));
    var table = el("table");
    (tip.facts || []).forEach(function (kv) {
      var tr = el("tr");
      tr.appendChild(el("td", "k", kv[0]));
      tr.appendChild(el("td", null, kv[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    if (tip.figureCount) {
      box.appendChild(el("div", "k", "统计数据 figures (" + tip.figureCount + ")"));
      var ul = el("ul");
      tip.figures.forEach(function (f) { ul.appendChild(el("li", null, f)); });
      if (tip.moreFigures) ul.appendChild(el("li", null, "… +" + tip.moreFigures));
      box.appendChild(ul);
    }
    box.appendChild(el("div", "iri", tip.iri));
    return box;
  }

  DATA.nodes.forEach(function (n) { n.title = buildTip(n.tip); });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);

  // legend: click a type to hide / show it
  var hidden = {};
  Array.prototype.forEach.call(document.querySelectorAll("#legend li"), function (li) {
    li.addEventListener("click", function () {
      var t = li.getAttribute("data-type");
      hidden[t] = !hidden[t];
      li.classList.toggle("off", hidden[t]);
      nodes.update(DATA.nodes.filter(function (n) { return n.kind === t; })
        .map(function (n) { return {id: n.id, hidden: !!hidden[t]}; }));
    });
  });

  // details panel on click
  var details = document.getElementById("details");
  network.on("click", function (params) {
    while (details.firstChild) details.removeChild(details.firstChild);
    if (params.nodes.length) {
      var n = nodes.get(params.nodes[0]);
      details.appendChild(buildTip(n.tip));
    } else {
      details.appendChild(el("div", "hint", "点击节点查看详情 · click a node for details"));
    }
  });

  // search by name
  var list = document.getElementById("names");
  var byLabel = {};
  DATA.nodes.forEach(function (n) {
    if (n.kind === "Figure") return;
    (byLabel[n.label] = byLabel[n.label] || []).push(n.id);
    var o = document.createElement("option");
    o.value = n.label;
    list.appendChild(o);
  });
  document.getElementById("search").addEventListener("change", function (ev) {
    var q = ev.target.value.trim();
    if (!q) return;
    var ids = byLabel[q] || DATA.nodes.filter(function (n) {
      return n.label.indexOf(q) >= 0;
    }).map(function (n) { return n.id; });
    if (!ids.length) return;
    network.selectNodes(ids);
    network.focus(ids[0], {scale: 1.2, animation: true});
    network.emit("click", {nodes: [ids[0]], edges: []});
  });
})();
"""


def render_html(G: nx.MultiDiGraph, title: str = DEFAULT_TITLE) -> str:
    """The page for an entity graph (from build_nx)."""
    net = to_pyvis(G)
    nodes, edges, *_ = net.get_network_data()
    options = _options(len(nodes))
    js, css = _vis_assets()

    counts = Counter(d["type"] for _, d in G.nodes(data=True))
    legend = []
    for t in list(ENTITY_TYPES) + ["Figure"]:
        if t == "Figure" and not counts.get(t):
            continue
        zh, colour = TYPE_STYLE[t]
        shape = " sq" if t == "Figure" else ""
        legend.append(
            f'<li data-type="{html.escape(t)}"><span class="swatch{shape}" '
            f'style="background:{colour}"></span>{html.escape(zh)} '
            f'<span class="en">{html.escape(t)}</span>'
            f'<span class="count">{counts.get(t, 0)}</span></li>')
    edge_legend = [
        f'<li><span class="line" style="background:{c}"></span>{html.escape(zh)} {html.escape(p)}</li>'
        for p, (zh, c) in list(RELATIONS.items()) + ([("subject", SUBJECT_EDGE)] if counts.get("Figure") else [])
    ]
    n_entities = sum(v for k, v in counts.items() if k != "Figure")
    data = {"nodes": [_node_data(n) for n in nodes], "edges": [_edge_data(e) for e in edges],
            "options": options}

    t = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
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
    <div class="stats">{n_entities} 个实体 entities · {G.number_of_edges()} 条关系 relations</div>
    <input id="search" list="names" placeholder="搜索名称 search a name…" autocomplete="off">
    <datalist id="names"></datalist>
    <ul id="legend">
      {"".join(legend)}
    </ul>
    <ul id="edge-legend">
      {"".join(edge_legend)}
    </ul>
    <div class="hint">点击图例可隐藏/显示该类型；节点大小 = 提及文章数。<br>
    Click a legend entry to hide/show a type; node size = number of articles.</div>
    <div id="details"><div class="hint">点击节点查看详情 · click a node for details</div></div>
  </div>
  <div id="network"></div>
</div>
<script type="application/json" id="kg-data">{json_for_script(data)}</script>
<script>
{_inline(js, "script")}
</script>
<script>{PAGE_JS}</script>
</body>
</html>
"""


_NODE_KEYS = ("id", "label", "color", "shape", "size", "tip", "articles", "kind")
_EDGE_KEYS = ("from", "to", "label", "predicate", "color", "arrows")


def _node_data(n: dict) -> dict:
    return {k: n[k] for k in _NODE_KEYS if k in n}


def _edge_data(e: dict) -> dict:
    return {k: e[k] for k in _EDGE_KEYS if k in e}


def write_explorer(graph, path, title: str = DEFAULT_TITLE, figures: bool = False,
                   min_articles: int = 0) -> Path:
    """Write the explorer page for `graph` (a Graph or a Dataset) to `path`.

    figures: also draw each figure as a small node linked to its subject
    (they are always listed in their subject's tooltip).
    min_articles: leave out entities mentioned in fewer articles.
    """
    G = build_nx(graph, figures=figures, min_articles=min_articles)
    page = render_html(G, title=title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
