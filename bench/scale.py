"""Building and querying at scale: thousands of articles on one machine.

    python bench/scale.py --sizes 1000,10000 [--workers 2] [--dir /tmp/kg-scale]
                          [--memory-max 1000] [--sample 200] [--runs 10]

For each size N it writes a corpus of N realistic articles (bench/corpus.py:
real seed paragraphs recombined around real districts, in the three file
shapes) once, then prints:

- extraction throughput on a sample of the corpus, in one process (one core):
  characters of article text per second for read + extract + triples, next to
  jieba's own segmentation (jieba.lcut, default and HMM=False) on the same text;
- per store and worker count, a whole build in a fresh process (`kg build`'s
  build() without the exports): wall time, characters per second overall and
  per core, the peak resident memory of the building process and of its
  largest worker, the store's size on disk;
- on that store: the time to add one new article (in process, and the whole
  `kg build NEW --no-export` command, start-up included), and the median and
  max latency of every named query (bench/queries.py's latencies()).

Stores compared: the embedded on-disk Oxigraph store (the default) and rdflib's
in-memory store ("memory:"), the latter only up to --memory-max articles (its
build and queries grow too slow and too big beyond). Each build runs in its own
process so peak memory is per configuration.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024           # Linux: KiB


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6 if path.exists() else 0.0


# --- the child: one build (+ addition + queries) in a fresh process --------------------------

def child(args) -> None:
    from kg.build import build
    from kg.store import open_store
    from queries import latencies

    spec = args.spec
    if not spec.startswith("memory:"):
        shutil.rmtree(spec, ignore_errors=True)
        Path(spec).parent.mkdir(parents=True, exist_ok=True)
    out: dict = {}
    with open_store(spec) as store:
        t = time.perf_counter()
        report = build([args.corpus], store, workers=args.workers)
        store.flush()
        out["build_s"] = time.perf_counter() - t
        out["read"], out["skipped"], out["written"] = report.read, len(report.skipped), report.triples
        out["figures"] = report.figures
        out["rss_build_mb"] = _rss_mb()
        out["rss_workers_mb"] = _rss_mb(resource.RUSAGE_CHILDREN)
        out.update(exports(store, Path(args.spec).parent if not spec.startswith("memory:") else None,
                           report.read))
        if args.extra:
            t = time.perf_counter()
            r = build([args.extra], store)
            out["add_one_s"] = time.perf_counter() - t
            assert r.read == 1, r.summary()
        out["queries"] = [] if args.no_queries else latencies(
            store, args.runs, slow=2.0, limit=args.query_limit, skip=args.skip.split(",") if args.skip else ())
        out["rss_end_mb"] = _rss_mb()
    print(json.dumps(out))


def exports(store, out: Path | None, articles: int) -> dict:
    """What `kg build` does after the store: count it, write graph.ttl and
    graph.trig, and explorer.html when the store is small enough for one page."""
    import tempfile

    from kg.cli import EXPLORER_MAX_ARTICLES
    from kg.explorer import write_explorer
    from kg.export import export

    out = out or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    res = {}
    t = time.perf_counter()
    res["triples"] = store.count()
    res["count_s"] = time.perf_counter() - t
    t = time.perf_counter()
    export(store, out / "graph.ttl", "ttl")
    export(store, out / "graph.trig", "trig")
    res["export_s"] = time.perf_counter() - t
    res["explorer_s"] = float("nan")
    if articles <= EXPLORER_MAX_ARTICLES:
        t = time.perf_counter()
        write_explorer(store, out / "explorer.html")
        res["explorer_s"] = time.perf_counter() - t
    res["exports_mb"] = _du_mb(out) - _du_mb(out / "store")
    return res


# --- the parent ------------------------------------------------------------------------------

def corpus_for(n: int, root: Path) -> tuple[Path, dict]:
    from corpus import write_corpus
    folder = root / f"corpus-{n}"
    manifest = root / f"corpus-{n}.json"
    if not manifest.exists():
        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        stats = write_corpus(n, folder)
        stats["write_s"] = time.perf_counter() - t
        manifest.write_text(json.dumps(stats))
    return folder, json.loads(manifest.read_text())


def extraction_throughput(folder: Path, sample: int) -> dict:
    """One process: read + extract + triples vs jieba.lcut on the same article texts."""
    import jieba

    from kg.articles import iter_article_paths, read_article
    from kg.gazetteer import gazetteer
    from kg.graph import article_ntriples
    from kg.pipeline import extract_article
    from kg.segment import _jieba

    _jieba()
    gazetteer()
    files = list(iter_article_paths([folder]))[:sample]
    t = time.perf_counter()
    texts = []
    for p in files:
        a = read_article(p)
        texts.append(a.text)
        article_ntriples(extract_article(a))
    ours = time.perf_counter() - t
    chars = sum(map(len, texts))
    t = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    jb = time.perf_counter() - t
    t = time.perf_counter()
    for text in texts:
        jieba.lcut(text, HMM=False)
    jb_nohmm = time.perf_counter() - t
    return {"articles": len(files), "chars": chars, "ours_cps": chars / ours,
            "jieba_cps": chars / jb, "jieba_nohmm_cps": chars / jb_nohmm}


def run_child(corpus: Path, spec: str, workers: int, runs: int, extra: Path | None,
              query_limit: float, skip: str, no_queries: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--child", "--corpus", str(corpus), "--spec", spec,
           "--workers", str(workers), "--runs", str(runs), "--query-limit", str(query_limit), "--skip", skip]
    if no_queries:
        cmd.append("--no-queries")
    if extra:
        cmd += ["--extra", str(extra)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"build {spec} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_s"] = time.perf_counter() - t
    return out


def cli_add(extra: Path, store_dir: Path) -> float:
    """Wall time of the whole `kg build NEW --store DIR --no-export -q` command."""
    kg = Path(sys.executable).with_name("kg")
    t = time.perf_counter()
    subprocess.run([str(kg), "build", str(extra), "--store", str(store_dir), "--out", str(store_dir.parent),
                    "--no-export", "-q"], check=True)
    return time.perf_counter() - t


def _cell(q) -> str:
    _, rows, median, worst = q
    return f"{median:.1f} ({worst:.0f})" if isinstance(rows, int) else str(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000", help="comma-separated corpus sizes (default: 1000)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="worker processes of the parallel build (default: the cores)")
    ap.add_argument("--dir", default="/tmp/kg-scale", help="where corpora and stores go")
    ap.add_argument("--memory-max", type=int, default=1000,
                    help="largest size also built into the rdflib memory: store (default: 1000)")
    ap.add_argument("--serial-max", type=int, default=1000,
                    help="largest size also built with one process (default: 1000)")
    ap.add_argument("--sample", type=int, default=200, help="articles for the throughput sample")
    ap.add_argument("--runs", type=int, default=10, help="runs per named query")
    ap.add_argument("--query-limit", type=float, default=30.0,
                    help="stop a named query whose first run takes longer (seconds; rdflib only)")
    ap.add_argument("--skip", default="", metavar="NAMES",
                    help="named queries not to time (comma-separated), e.g. district-figures")
    ap.add_argument("--no-queries", action="store_true",
                    help="do not time the named queries here (bench/queries.py --store DIR does, later)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--spec", help=argparse.SUPPRESS)
    ap.add_argument("--extra", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)

    root = Path(args.dir)
    root.mkdir(parents=True, exist_ok=True)
    from corpus import extra_article
    for d in ("extra", "extra-cli"):
        shutil.rmtree(root / d, ignore_errors=True)
    extra = extra_article(root / "extra")                      # added in process after each build
    extra_cli = extra_article(root / "extra-cli", seed=999_998)  # then by the kg command
    print(f"# scale benchmark: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, "
          f"python {sys.version.split()[0]}", flush=True)
    for n in [int(s) for s in args.sizes.split(",")]:
        folder, stats = corpus_for(n, root)
        print(f"\n## {n} articles ({stats['markdown']} md, {stats['plain']} txt, {stats['html']} html; "
              f"{stats['bytes'] / 1e6:.1f} MB)", flush=True)
        tp = extraction_throughput(folder, min(args.sample, n))
        print(f"extraction, one core, {tp['articles']} articles, {tp['chars']} chars: "
              f"{tp['ours_cps']:,.0f} chars/s; jieba.lcut {tp['jieba_cps']:,.0f} chars/s "
              f"(HMM=False {tp['jieba_nohmm_cps']:,.0f}); ratio {tp['ours_cps'] / tp['jieba_cps']:.3f}",
              flush=True)
        configs = []
        if n <= args.serial_max:
            configs.append(("oxigraph", 1))
        configs.append(("oxigraph", args.workers))
        if n <= args.memory_max:
            configs.append(("memory", 1))
        chars = tp["chars"] / tp["articles"] * n               # the sample's mean article length
        print("\n| store | workers | store build s | chars/s | chars/s/core | triples | count s | ttl+trig s "
              "| explorer s | whole build s | whole chars/s/core | peak RSS build MB | peak RSS worker MB "
              "| store MB | add one s | cli add one s |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
        tables = {}
        for backend, w in configs:
            store_dir = root / f"out-{n}-{backend}-w{w}" / "store"
            spec = "memory:" if backend == "memory" else str(store_dir)
            r = run_child(folder, spec, w, args.runs, extra, args.query_limit, args.skip, args.no_queries)
            size = _du_mb(store_dir) if backend != "memory" else float("nan")
            cli = cli_add(extra_cli, store_dir) if backend != "memory" else float("nan")
            cps = chars / r["build_s"]
            whole = r["build_s"] + r["count_s"] + r["export_s"] + (
                0 if r["explorer_s"] != r["explorer_s"] else r["explorer_s"])
            print(f"| {backend} | {w} | {r['build_s']:.1f} | {cps:,.0f} | {cps / w:,.0f} | {r['triples']:,} "
                  f"| {r['count_s']:.1f} | {r['export_s']:.1f} | {r['explorer_s']:.1f} | {whole:.1f} "
                  f"| {chars / whole / w:,.0f} | {r['rss_build_mb']:.0f} | {r['rss_workers_mb']:.0f} "
                  f"| {size:.0f} | {r['add_one_s']:.3f} | {cli:.2f} |", flush=True)
            tables[(backend, w)] = r["queries"]
        if args.no_queries:
            continue
        names = [q[0] for q in next(iter(tables.values()))]
        cols = list(tables)
        print("\nnamed queries, median (max) ms:\n\n| query | rows | "
              + " | ".join(f"{b} w{w}" for b, w in cols) + " |\n|---|---:|" + "---:|" * len(cols))
        for i, name in enumerate(names):
            rows = tables[cols[0]][i][1]
            print(f"| {name} | {rows} | " + " | ".join(
                _cell(tables[c][i]) for c in cols) + " |", flush=True)
    print(f"\n# load at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
