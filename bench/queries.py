"""Median latency of every named query (ontology/queries/*.rq) on a built store.

    python bench/queries.py [--out exports] [--runs 20]

Runs each query through kg.queries.run_query (parse, evaluate, convert rows to
rdflib terms) against the store opened read-only, after one warm-up run, and
prints one markdown table row per query: name, rows, median and max in ms.
"""
from __future__ import annotations

import argparse
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
        for name in list_queries():
            sparql = load_query(name)
            n = len(run_query(store, sparql))
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                run_query(store, sparql)
                times.append((time.perf_counter() - t) * 1000)
            print(f"| {name} | {n} | {statistics.median(times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    main()
