"""Median latency of every named query (ontology/queries/*.rq) on a built store.

    python bench/queries.py [--out exports] [--runs 20]

Runs each query through kg.queries.run_query (parse, evaluate, convert rows to
rdflib terms) against the store opened read-only, after one warm-up run, and
prints one markdown table row per query: name, rows, median and max in ms.
"""
from __future__ import annotations

import argparse
import signal
import statistics
import time
from pathlib import Path

from kg.queries import list_queries, load_query, run_query
from kg.store import open_store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="exports", help="build folder holding store/ (default: exports)")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    with open_store(Path(args.out) / "store", read_only=True) as store:
        print("| query | rows | median ms | max ms |\n|---|---:|---:|---:|")
        for name, n, median, worst in latencies(store, args.runs):
            print(f"| {name} | {n} | {median:.2f} | {worst:.2f} |")


def latencies(store, runs: int = 20, slow: float = 5.0, limit: float | None = None, skip=()):
    """(name, rows, median ms, max ms) of every named query, after one warm-up run.
    A query whose warm-up takes over `slow` seconds is timed by that one run;
    one whose warm-up takes over `limit` seconds is stopped (SIGALRM; only
    pure-Python evaluators, i.e. rdflib, can be interrupted) and reported so."""
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
