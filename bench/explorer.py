"""Benchmark: the explorer page with a synthetic 5,000-node graph in headless Chromium.

    python bench/explorer.py [--nodes 5000] [--figures 1000] [--runs 2] [--compare]

Builds an RDF graph shaped like a real build (a district tree, agencies
locatedIn districts, programmes organised by agencies, enterprises, people,
target groups, policies, figures with evidence sentences, articles), writes
the page with kg.explorer, opens it from a file: URL in Debian's chromium
(/usr/bin/chromium, driven by Playwright, no network) and reports:

  - Python: build_nx + render time and page size;
  - browser: load-to-stable time (navigation start -> the layout finished,
    physics off: window.kgStableAt), median of --runs fresh pages;
  - responsiveness once stable: a district filter change, a search + focus,
    one redraw.

--compare also times the first version's settings (forceAtlas2Based, smooth
curves, edge labels, 120 iterations) on the same graph. Results go to stdout
as a markdown table (docs/benchmarks.md holds the latest).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.explorer import build_nx, layout_options, render_html  # noqa: E402
from kg.namespace import ID, KG, RDF, RDFS, SKOS  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def synthetic(n_nodes: int = 5000, n_figures: int = 1000, n_articles: int = 200, seed: int = 1) -> Graph:
    """An RDF graph of n_nodes entities with the shape (types, relations, evidence) of a real build."""
    rnd = random.Random(seed)
    g = Graph()
    arts = [ID[f"article/{i:04d}"] for i in range(n_articles)]
    for i, a in enumerate(arts):
        g.add((a, RDF.type, KG.Article))
        g.add((a, KG.sourceFile, Literal(f"{i:04d}.txt")))
        g.add((a, KG["title"], Literal(f"第{i}篇 就业服务新闻", lang="zh")))
    sent_no = [0]

    def sentence(text: str, a: URIRef, mentions=()) -> URIRef:
        s = ID[f"sentence/{sent_no[0]:06d}"]
        sent_no[0] += 1
        g.add((s, RDF.type, KG.Sentence))
        g.add((s, KG.inArticle, a))
        g.add((s, KG["index"], Literal(sent_no[0] % 40)))
        g.add((s, KG.text, Literal(text, lang="zh")))
        for m in mentions:
            g.add((s, KG.mentions, m))
        return s

    def entity(kind: str, i: int, name: str) -> URIRef:
        e = ID[f"{kind.lower()}/{i:05d}"]
        g.add((e, RDF.type, KG[kind]))
        g.add((e, RDFS.label, Literal(name, lang="zh")))
        if i % 3 == 0:
            g.add((e, SKOS.altLabel, Literal(name[:3], lang="zh")))
        for a in rnd.sample(arts, 1 + int(rnd.expovariate(1.2)) % 6):
            g.add((e, KG.mentionedIn, a))
            sentence(f"{name}开展就业服务活动，提供岗位。", a, [e])
        return e

    share = {"District": 0.04, "Agency": 0.16, "Program": 0.30, "Enterprise": 0.20, "Person": 0.14,
             "TargetGroup": 0.10}
    counts = {k: int(v * n_nodes) for k, v in share.items()}
    counts["Policy"] = n_nodes - sum(counts.values())
    made: dict[str, list[URIRef]] = {}
    for kind, n in counts.items():
        made[kind] = [entity(kind, i, f"{kind}{i}号") for i in range(n)]
    ds = made["District"]
    for i, d in enumerate(ds[1:], 1):                       # a tree: each under an earlier one
        g.add((d, KG.partOf, ds[rnd.randrange(0, max(1, i // 3))]))
    for a in made["Agency"] + made["Enterprise"]:
        g.add((a, KG.locatedIn, rnd.choice(ds)))
    for p in made["Program"]:
        if rnd.random() < 0.8:
            g.add((p, KG.organizer, rnd.choice(made["Agency"])))
    for p in made["Person"]:
        g.add((p, KG.affiliation, rnd.choice(made["Agency"] + made["Enterprise"])))
    everything = [e for es in made.values() for e in es]
    for i in range(n_figures):
        f, a, subj = ID[f"figure/{i:05d}"], rnd.choice(arts), rnd.choice(everything)
        g.add((f, RDF.type, KG.Figure))
        g.add((f, KG.reportedIn, a))
        g.add((f, KG.value, Literal(rnd.randrange(1, 5000))))
        g.add((f, KG.unit, Literal("人")))
        g.add((f, KG.measure, Literal("就业", lang="zh")))
        g.add((f, KG.subject, subj))
        g.add((f, KG.text, Literal("新增就业1200人", lang="zh")))
        g.add((f, KG.evidence, sentence("今年以来新增就业1200人。", a)))
    return g


FIRST_VERSION = {      # the options of the explorer's first version, for --compare
    "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 14}},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
              "font": {"size": 10, "align": "middle", "color": "#555"},
              "smooth": {"type": "continuous"}, "width": 1.2},
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
    "layout": {"improvedLayout": False},
    "physics": {"solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.2},
                "stabilization": {"iterations": 120}},
}


def measure(ctx, path: Path) -> dict:
    """Open the page once; time load-to-stable and a few interactions."""
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-stable='1']", state="attached", timeout=600_000)
    out = {"stable_ms": page.evaluate("window.kgStableAt")}
    times = page.evaluate("window.kgTimes")
    out["script_ms"], out["network_ms"] = times["script"], times["network"]
    out["filter_ms"] = page.evaluate("""() => {
        var sel = document.getElementById('district'), t = performance.now();
        sel.value = sel.options[1].value; sel.dispatchEvent(new Event('change'));
        var d = performance.now() - t;
        sel.value = ''; sel.dispatchEvent(new Event('change'));
        return d; }""")
    out["search_ms"] = page.evaluate("""() => {
        var s = document.getElementById('search'), t = performance.now();
        s.value = 'Agency12'; s.dispatchEvent(new Event('input'));
        s.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}));
        return performance.now() - t; }""")
    out["redraw_ms"] = page.evaluate("""() => { var n = window.kgExplorer.network, t = performance.now();
        n.redraw(); return performance.now() - t; }""")
    if errors:
        raise RuntimeError(f"page errors: {errors}")
    page.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--figures", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--compare", action="store_true", help="also time the first version's layout settings")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    g = synthetic(args.nodes, args.figures)
    t = time.perf_counter()
    G = build_nx(g)
    t_nx = time.perf_counter() - t
    t = time.perf_counter()
    page = render_html(G)
    t_render = time.perf_counter() - t
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    variants = {"current": tmp / "current.html"}
    variants["current"].write_text(page, encoding="utf-8")
    if args.compare:
        variants["first version"] = tmp / "first.html"
        variants["first version"].write_text(render_html(G, options=FIRST_VERSION), encoding="utf-8")

    n_ent = sum(1 for _, d in G.nodes(data=True) if d["type"] != "Figure")
    print(f"graph: {n_ent} entities, {G.number_of_nodes() - n_ent} figures, {G.number_of_edges()} edges, "
          f"{len(g)} triples")
    print(f"python: build_nx {t_nx:.2f} s, render_html {t_render:.2f} s, page {len(page.encode()) / 1e6:.1f} MB")
    opts = layout_options(n_ent, G.number_of_edges())
    print(f"options: solver {opts['physics']['solver']}, iterations "
          f"{opts['physics']['stabilization']['iterations']}, improvedLayout {opts['layout']['improvedLayout']}")
    print("\n| settings | load→stable (s) | filter (ms) | search+focus (ms) | redraw (ms) |")
    print("|---|---|---|---|---|")
    with sync_playwright() as pw:
        for name, path in variants.items():
            rows = []
            for _ in range(args.runs):
                ctx = pw.chromium.launch_persistent_context(
                    tempfile.mkdtemp(prefix="kg-bench-profile-"), executable_path=args.chromium,
                    headless=True, args=ARGS, viewport={"width": 1400, "height": 860})
                rows.append(measure(ctx, path))
                ctx.close()
            med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
            print(f"  ({name}: script starts {med['script_ms'] / 1000:.1f} s, network built "
                  f"{med['network_ms'] / 1000:.1f} s after navigation)", file=sys.stderr)
            print(f"| {name} | {med['stable_ms'] / 1000:.1f} | {med['filter_ms']:.0f} | "
                  f"{med['search_ms']:.0f} | {med['redraw_ms']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
