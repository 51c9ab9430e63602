"""The `kg` command: build, query, export and check the knowledge graph."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_OUT = Path("exports")
STORE_DIR = "store"

EPILOG = """\
examples:
  kg build                         build seeds/ into exports/ (graph.ttl, graph.trig, explorer.html)
  kg build news/ --out out/        add the articles under news/ to out/store and re-export
  kg query 'SELECT ?d WHERE { ?d a kg:District }'
  kg query my_question.rq --format csv
  kg query leaders --param district=甘州区   a named query (kg query --list) with a parameter
  kg query articles --offset 100   rows 101-200 (a page is 100 rows; --all for every row)
  kg export --format nq > graph.nq
  kg explore --district 吴江区 -o wujiang.html   the explorer page for one district
"""


def _store_spec(args) -> str:
    return args.store or str(Path(args.out) / STORE_DIR)


def _built_store(args, command: str) -> str | None:
    """The store spec to read, or None (after saying what to do) when there is none."""
    spec = _store_spec(args)
    if not args.store and not Path(spec).exists():
        print(f"kg {command}: no store at {spec}; run 'kg build' first (or give --out / --store)",
              file=sys.stderr)
        return None
    return spec


def _progress(files):
    from tqdm import tqdm
    return tqdm(files, desc="articles", unit="art", file=sys.stderr, disable=None)


# The page of the whole graph stays usable (layout in ~10 s, a few MB) up to about
# 5,000 entity nodes (docs/benchmarks.md); news articles bring ~25 entities each,
# many new (200 articles of bench/corpus.py: 5,100 entities, 3,500 figures, 5.6 MB).
EXPLORER_MAX_ARTICLES = 300


def cmd_build(args) -> int:
    from .articles import Limits
    from .build import build, default_paths
    from .export import atomic_path, export
    from .explorer import write_explorer
    from .parallel import ParallelError
    from .store import open_store

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = default_paths(args.paths)
    for p in paths:
        if not p.exists():
            print(f"kg build: {p} does not exist; give article files or folders (default: seeds/)", file=sys.stderr)
            return 2
    explorer_note = ""
    with open_store(_store_spec(args)) as store:
        limits = Limits(max_bytes=int(args.max_size * 1_000_000), max_chars=args.max_chars)
        try:
            report = build(paths, store, progress=None if args.quiet else _progress, limits=limits,
                           workers=args.workers, scheduler=args.scheduler)
        except ParallelError as err:                  # no Dask, scheduler unreachable: one line
            print(f"kg build: {err}", file=sys.stderr)
            return 2
        if not args.no_export:
            report.store_triples = store.count()      # the exports read it all anyway
            export(store, out / "graph.ttl", "ttl")
            export(store, out / "graph.trig", "trig")
            articles = len(store.graph_names())
            if articles <= args.explorer_limit:
                with atomic_path(out / "explorer.html") as tmp:   # never half a page
                    write_explorer(store, tmp)
            else:
                explorer_note = (f"explorer.html not written: {articles} articles are more than one page "
                                 f"can show (--explorer-limit {args.explorer_limit}); write a part with "
                                 f"kg explore --district NAME or --article FILE")
    if not args.quiet:
        print(report.summary())
        if not args.no_export:
            print(f"wrote {out / 'graph.ttl'}, {out / 'graph.trig'}"
                  + (f", {out / 'explorer.html'}" if not explorer_note else ""))
    if explorer_note:
        print(f"kg build: {explorer_note}", file=sys.stderr)
    if args.strict and report.skipped:
        print(f"kg build: {len(report.skipped)} file(s) skipped (--strict)", file=sys.stderr)
        return 1
    return 0


def cmd_query(args) -> int:
    from .queries import (bind_params, format_csv, format_json, format_table, load_query, page_note,
                          page_size, parse_param, run_query)
    from .store import open_store

    if args.list or args.query is None:
        return _list_named_queries(args)
    try:
        params = dict(parse_param(p) for p in args.param or [])
        sparql = load_query(args.query)
        if params:
            sparql = bind_params(sparql, params)
        limit = 0 if args.all else args.limit if args.limit is not None else page_size(sparql)
    except (OSError, ValueError) as err:
        print(f"kg query: {err}", file=sys.stderr)
        return 2
    spec = _built_store(args, "query")
    if spec is None:
        return 2
    with open_store(spec, read_only=True) as store:
        try:
            result = run_query(store, sparql, limit=limit, offset=args.offset)
        except Exception as err:                      # syntax errors and the like: one clear line
            print(f"kg query: the query failed: {err}", file=sys.stderr)
            return 2
    fmt = {"table": format_table, "csv": format_csv, "json": format_json}[args.format]
    text = fmt(result)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if result.kind == "select" and result.more is None and (args.limit is not None or args.offset):
        print("kg query: the query has its own LIMIT or OFFSET (or a VALUES block at its end): "
              "it ran as written, without --limit/--offset", file=sys.stderr)
    elif args.format != "table" and (result.more or result.offset):
        print(f"kg query: {page_note(result)}", file=sys.stderr)   # stdout stays CSV / JSON
    return 0


def _count(text: str) -> int:
    n = int(text)
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return n


def _list_named_queries(args) -> int:
    from .queries import list_queries

    if not args.list:
        print("kg query: give a query, a .rq file or a named query (kg query --list shows them)",
              file=sys.stderr)
        return 2
    named = list_queries()
    width = max((len(n) for n in named), default=0)
    for name, question in named.items():
        print(f"{name:{width}}  {question}")
    return 0


def cmd_export(args) -> int:
    from .export import FORMATS, export
    from .store import open_store

    spec = _built_store(args, "export")
    if spec is None:
        return 2
    suffix = FORMATS[args.format][0]
    target = Path(args.output) if args.output else Path(args.out) / f"graph{suffix}"
    with open_store(spec, read_only=True) as store:
        export(store, target, args.format)
    print(f"wrote {target}", file=sys.stderr)
    return 0


def cmd_entities(args) -> int:
    from .identity import entities, suspects
    from .store import open_store

    spec = _built_store(args, "entities")
    if spec is None:
        return 2
    with open_store(spec, read_only=True) as store:
        if args.suspects:
            found = suspects(store)
            for s in found:
                print(f"{s.reason:10}  {s.type:11}  {' / '.join(s.labels)}  ({', '.join(s.iris)})")
            print(f"({len(found)} to review)" if found else "no likely duplicates")
            return 0
        rows = entities(store, args.type)
    width = max((len(r["label"]) for r in rows), default=0)
    for r in rows:
        print(f"{r['type']:11}  {r['label']}{'　' * (width - len(r['label']))}  {r['articles']:3}  {r['e']}")
    print(f"({len(rows)} entities)")
    return 0


def cmd_show(args) -> int:
    from .show import show
    from .store import open_store

    spec = _built_store(args, "show")
    if spec is None:
        return 2
    with open_store(spec, read_only=True) as store:
        text, code = show(store, args.name, show_all=args.all)
    print(text, file=sys.stderr if code == 1 else sys.stdout)
    return code


def cmd_explore(args) -> int:
    from .explorer import write_explorer
    from .store import open_store

    spec = _built_store(args, "explore")
    if spec is None:
        return 2
    parts = [*(args.district or []), *(Path(a).name for a in args.article or [])]
    target = Path(args.output) if args.output else Path(args.out) / (
        "explorer" + "".join("-" + p.rsplit(".", 1)[0] for p in parts) + ".html")
    title = " · ".join(parts + ["就业公共服务知识图谱"]) if parts else None
    with open_store(spec, read_only=True) as store:
        try:
            write_explorer(store, target, districts=args.district or (),
                           articles=args.article or (), figures=args.figures,
                           **({"title": title} if title else {}))
        except ValueError as err:                     # a district or article the graph does not have
            print(f"kg explore: {err}", file=sys.stderr)
            return 2
    print(f"wrote {target}", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    from .server import make_server

    spec = _built_store(args, "serve")
    if spec is None:
        return 2
    try:
        server = make_server(spec, args.host, args.port, timeout=args.timeout, max_rows=args.max_rows,
                             workers=args.workers, verbose=args.verbose)
    except OSError as err:
        print(f"kg serve: cannot listen on {args.host}:{args.port} ({err.strerror or err}); "
              f"pick another --port", file=sys.stderr)
        return 2
    import signal

    def stop(*_):                                   # `kill` stops it as cleanly as Ctrl-C
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    host, port = server.server_address[:2]
    print(f"serving {spec} read-only: SPARQL endpoint http://{host}:{port}/sparql, query page "
          f"http://{host}:{port}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_validate(args) -> int:
    from .store import open_store
    from .validate import validate

    spec = _built_store(args, "validate")
    if spec is None:
        return 2
    with open_store(spec, read_only=True) as store:
        ok, report = validate(store.dataset())
    print("the graph conforms to ontology/shapes.ttl" if ok else report)
    return 0 if ok else 1


def parser() -> argparse.ArgumentParser:
    from .export import FORMATS

    ap = argparse.ArgumentParser(
        prog="kg", description="Build and query a knowledge graph of Chinese employment-service news.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p):
        p.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: exports/)")
        p.add_argument("--store", help="store to use (default: OUT/store, an embedded Oxigraph store; "
                                       "'memory:' for an in-memory one)")

    b = sub.add_parser("build", help="read articles, extract, store and export",
                       description="Read article files or folders (default: seeds/), extract the graph, "
                                   "add it to the store and write graph.ttl, graph.trig and explorer.html. "
                                   "Articles already stored with the same content are skipped; a changed "
                                   "article replaces its earlier version.")
    b.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (default: seeds/)")
    common(b)
    b.add_argument("--strict", action="store_true", help="exit non-zero if any file was skipped")
    b.add_argument("--workers", type=int, default=1, metavar="N",
                   help="extract with N worker processes (default: 1; the store is written by this one)")
    b.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="extract on the workers of this Dask scheduler (pip install 'jiuye-kg[dask]'; "
                        "workers must see the article files at the same absolute paths)")
    b.add_argument("--no-export", action="store_true",
                   help="only update the store: skip writing graph.ttl, graph.trig and explorer.html "
                        "(adding a few articles to a large store; kg export writes them later)")
    b.add_argument("--explorer-limit", type=int, default=EXPLORER_MAX_ARTICLES, metavar="N",
                   help=f"write explorer.html only when the store holds at most N articles (default: "
                        f"{EXPLORER_MAX_ARTICLES}; a bigger page is too slow to lay out; kg explore writes parts)")
    b.add_argument("--max-size", type=float, default=5.0, metavar="MB",
                   help="skip article files larger than this (default: 5 MB)")
    b.add_argument("--max-chars", type=int, default=100_000, metavar="N",
                   help="skip articles whose text is longer than N characters (default: 100000)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="run a SPARQL query against the built graph",
                       description="Run a SPARQL query (text, a .rq file, or a named query) against the store.")
    q.add_argument("query", metavar="SPARQL|FILE.rq", nargs="?",
                   help="the query, a file holding it, or the NAME of a named query (see --list)")
    q.add_argument("--list", action="store_true", help="list the named queries (name and question)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="bind ?NAME to the literal VALUE (repeatable)")
    q.add_argument("--limit", type=_count, metavar="N",
                   help="rows a page holds (default: the page the named query gives, else 100; "
                        "0: every row)")
    q.add_argument("--offset", type=_count, default=0, metavar="M",
                   help="start after the first M rows (the note under a page says where the next starts)")
    q.add_argument("--all", action="store_true",
                   help="every row, not a page (slow on a large graph without a --param)")
    common(q)
    q.set_defaults(func=cmd_query)

    e = sub.add_parser("export", help="export the graph in another RDF format")
    e.add_argument("--format", choices=sorted(FORMATS), default="ttl")
    e.add_argument("-o", "--output", help="file to write (default: OUT/graph.SUFFIX)")
    common(e)
    e.set_defaults(func=cmd_export)

    n = sub.add_parser("entities", help="list the entities, or the likely duplicates to review",
                       description="List the entities (type, name, number of articles, IRI). With "
                                   "--suspects: the same name under several IRIs, near names of one type "
                                   "in one district, and district names left unresolved.")
    n.add_argument("--type", choices=("District", "Agency", "Program", "Enterprise", "Person",
                                      "Institution", "Policy", "TargetGroup", "Publisher"))
    n.add_argument("--suspects", action="store_true", help="list likely duplicates for a person to review")
    common(n)
    n.set_defaults(func=cmd_entities)

    w = sub.add_parser("show", help="everything known about one entity",
                       description="Print one entity's type, names, facts, relations both ways, the "
                                   "figures about it and the articles and sentences behind them. NAME is "
                                   "a label or alias (吴江区人社局) or an IRI (id:district/320509). Exit "
                                   "status 1: nothing found; 3: several entities match (listed).")
    w.add_argument("name", metavar="NAME")
    w.add_argument("--all", action="store_true", help="when several entities match, show them all")
    common(w)
    w.set_defaults(func=cmd_show)

    x = sub.add_parser("explore", help="write the HTML explorer for the graph or a part of it",
                       description="Write the offline HTML explorer from the built store: the whole graph, "
                                   "or only what belongs to a district (through locatedIn, organizer and "
                                   "partOf chains) and/or is mentioned in an article. The page is written "
                                   "to -o/--output (default: OUT/explorer[-PART].html); --out is the folder "
                                   "holding the store, as for the other commands.")
    x.add_argument("--district", action="append", metavar="NAME",
                   help="a district name, alias or code (吴江区, 吴江, 320509); repeatable")
    x.add_argument("--article", action="append", metavar="FILE",
                   help="an article's source file (001_e4451ba21e0d1eed.txt, a path works too); repeatable")
    x.add_argument("--figures", action="store_true", help="show the figures as nodes when the page opens")
    x.add_argument("-o", "--output", metavar="FILE", help="the HTML file to write (default: OUT/explorer[-PART].html)")
    common(x)
    x.set_defaults(func=cmd_explore)

    s = sub.add_parser("serve", help="serve the graph over the SPARQL 1.1 Protocol (read-only)",
                       description="Serve the built store at http://HOST:PORT/sparql (SPARQL 1.1 Protocol: "
                                   "GET and POST, results in JSON, XML, CSV, TSV, Turtle, JSON-LD by Accept "
                                   "header; updates refused) with a query page at /. Each query runs in a "
                                   "worker process that is killed when it runs over --timeout.")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)")
    s.add_argument("--timeout", type=float, default=10.0, help="seconds a query may run (default: 10)")
    s.add_argument("--max-rows", type=int, default=10000,
                   help="most rows (or triples) a result may have (default: 10000)")
    s.add_argument("--workers", type=int, default=2, help="query worker processes (default: 2)")
    s.add_argument("-v", "--verbose", action="store_true", help="log every request to stderr")
    common(s)
    s.set_defaults(func=cmd_serve)

    v = sub.add_parser("validate", help="check the graph against the SHACL shapes")
    common(v)
    v.set_defaults(func=cmd_validate)
    return ap


def main(argv=None) -> int:
    from .store import StoreError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except StoreError as err:                         # locked, missing or broken store: one line
        print(f"kg {args.command}: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:                           # `kg query … | head`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("kg: interrupted; the store keeps every article finished so far, run the same command again "
              "to go on", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
