"""Median latency of every named query (ontology/queries/*.rq) on a built store.

    python bench/queries.py [--out exports | --store PATH] [--runs 20] [--params both]
    python bench/queries.py --store BIG/store --queries old-queries/ --timeout 120 --runs 3

Runs each query the way `kg query NAME` does: through kg.queries.run_query with
the query's default page (its `#page` LIMIT, else 100 rows), which parses,
evaluates and converts the rows to rdflib terms, against the store opened
read-only, after one warm-up run. With --params typical (or both, the default)
a query that takes a parameter is also timed with one: a district, agency,
entity, measure or target group the store holds, picked by a small query
(TYPICAL below), not hard-coded. Prints one markdown table row per run:
query, parameter, rows, median and max ms.

--queries DIR times the .rq files of DIR instead (e.g. older versions of the
named queries); --timeout S runs each query in its own process and stops it
after S seconds (an embedded store cannot be interrupted otherwise).
"""
from __future__ import annotations

import argparse
import multiprocessing
import signal
import statistics
import time
from pathlib import Path

from kg.queries import QUERIES_DIR, list_queries, load_query, page_size, run_query, tokenize
from kg.store import open_store

# the parameter each query is timed with, and the small query that picks its value
TYPICAL_PARAM = {
    "agencies": "district", "agency-programs": "agency", "district-figures": "district",
    "districts": "district", "enterprises": "district", "figure-sources": "subject",
    "jobs-by-district-year": "district", "leaders": "district", "measures": "keyword",
    "mentions": "name", "programs-for-group": "group",
}
TYPICAL = {
    # a county-level district where people work for an organisation
    "district": 'SELECT ?v WHERE { ?p kg:affiliation/kg:locatedIn/kg:partOf* ?d . '
                '?d kg:level "county" ; rdfs:label ?v } LIMIT 1',
    # an agency that organises programs
    "agency": "SELECT ?v WHERE { ?p kg:organizer ?a . ?a a kg:Agency ; rdfs:label ?v } LIMIT 1",
    "name": "SELECT ?v WHERE { ?p kg:organizer ?a . ?a a kg:Agency ; rdfs:label ?v } LIMIT 1",
    "subject": None,                                   # the district above
    # a measure text (not an empty or one-character one: a keyword someone would type)
    "keyword": "SELECT ?v WHERE { ?f kg:measure ?v FILTER(STRLEN(STR(?v)) >= 2) } LIMIT 1",
    # a target group named in a sentence with a program
    "group": "SELECT ?v WHERE { ?s kg:mentions ?g, ?p . ?g a kg:TargetGroup ; rdfs:label ?v . "
             "?p a kg:Program } LIMIT 1",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="exports", help="build folder holding store/ (default: exports)")
    ap.add_argument("--store", help="the store itself (default: OUT/store)")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--params", choices=("none", "typical", "both"), default="both",
                    help="time the queries without parameters, with a typical one, or both")
    ap.add_argument("--queries", type=Path, default=QUERIES_DIR, metavar="DIR",
                    help="the .rq files to time (default: ontology/queries)")
    ap.add_argument("--timeout", type=float, metavar="S",
                    help="run each query in its own process, stopped after S seconds")
    ap.add_argument("--as-written", action="store_true",
                    help="run the queries as written (every row when they do not page themselves), "
                         "not the page kg query shows")
    args = ap.parse_args()
    spec = args.store or str(Path(args.out) / "store")
    with open_store(spec, read_only=True) as store:
        values = typical_values(store)
    print(f"typical parameters: {values}\n")
    print("| query | parameter | rows | median ms | max ms |\n|---|---|---:|---:|---:|")
    for name in list_queries(args.queries):
        cases = [{}] if args.params != "typical" else []
        param = TYPICAL_PARAM.get(name)
        sparql = load_query(Path(args.queries) / f"{name}.rq")
        if args.params != "none" and param and param in _variables(sparql):
            cases.append({param: values[param]})
        for params in cases:
            limit = None if args.as_written else page_size(sparql)
            if args.timeout:
                n, median, worst = _in_child(spec, sparql, params, limit, args.runs, args.timeout)
            else:
                with open_store(spec, read_only=True) as store:
                    n, median, worst = time_query(store, sparql, params, limit, args.runs)
            shown = ", ".join(f"{k}={v}" for k, v in params.items()) or "–"
            print(f"| {name} | {shown} | {n} | {median:.1f} | {worst:.1f} |", flush=True)


def typical_values(store) -> dict[str, str]:
    values = {}
    for key, sparql in TYPICAL.items():
        if sparql:
            rows = run_query(store, load_query(sparql)).values()
            values[key] = str(rows[0][0]) if rows else ""
    values["subject"] = values["district"]
    return values


def _variables(sparql: str) -> set[str]:
    return {text[1:] for kind, text, _ in tokenize(sparql) if kind == "var"}


def time_query(store, sparql: str, params: dict, limit: int | None, runs: int, slow: float = 5.0):
    """(rows, median ms, max ms) of run_query(store, sparql, params, limit=limit) after one
    warm-up run; a query whose warm-up takes over `slow` s is timed by that run."""
    t = time.perf_counter()
    n = len(run_query(store, sparql, params, limit=limit))
    first = time.perf_counter() - t
    if first >= slow:
        return n, first * 1000, first * 1000
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run_query(store, sparql, params, limit=limit)
        times.append((time.perf_counter() - t) * 1000)
    return n, statistics.median(times), max(times)


def _child(spec, sparql, params, limit, runs, pipe) -> None:
    with open_store(spec, read_only=True) as store:
        pipe.send(time_query(store, sparql, params, limit, runs))


def _in_child(spec, sparql, params, limit, runs, timeout):
    recv, send = multiprocessing.Pipe(duplex=False)
    proc = multiprocessing.get_context("fork").Process(
        target=_child, args=(spec, sparql, params, limit, runs, send))
    proc.start()
    try:
        if recv.poll(timeout):
            return recv.recv()
        return f"> {timeout:.0f} s", float("nan"), float("nan")
    finally:
        if proc.is_alive():
            proc.kill()                                # this child only
        proc.join()


def latencies(store, runs: int = 20, slow: float = 5.0, limit: float | None = None, skip=()):
    """(name, rows, median ms, max ms) of every named query without parameters, as written
    (a named query gives its first page), after one warm-up run. A query whose warm-up
    takes over `slow` seconds is timed by that one run; one whose warm-up takes over
    `limit` seconds is stopped (SIGALRM; only pure-Python evaluators, i.e. rdflib, can be
    interrupted) and reported so. (bench/scale.py uses this.)"""
    out = []
    for name in list_queries():
        if name in skip:
            out.append((name, "not run", float("nan"), float("nan")))
            continue
        sparql = load_query(name)
        t = time.perf_counter()
        try:
            if limit:
                signal.signal(signal.SIGALRM, _too_slow)
                signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                n = len(run_query(store, sparql))
            finally:
                if limit:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except TimeoutError:
            out.append((name, f"> {limit:.0f} s", float("nan"), float("nan")))
            continue
        except Exception as err:                  # e.g. rdflib's evaluator failing on a query
            out.append((name, f"fails: {type(err).__name__}", float("nan"), float("nan")))
            continue
        first = time.perf_counter() - t
        times = [] if first < slow else [first * 1000]    # a slow query: its one run is the figure
        for _ in range(runs if first < slow else 0):
            t = time.perf_counter()
            run_query(store, sparql)
            times.append((time.perf_counter() - t) * 1000)
        out.append((name, n, statistics.median(times), max(times)))
    return out


def _too_slow(*_):
    raise TimeoutError


if __name__ == "__main__":
    main()
