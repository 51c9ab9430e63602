"""Building with several processes, or on a Dask cluster.

    kg build news/ --workers 4                        # 4 local worker processes
    kg build news/ --scheduler tcp://10.0.0.5:8786    # the workers of a Dask cluster

Workers read, extract and turn articles into triples; the process that runs
the build (the parent, or the Dask client) writes the store, so store writes
stay in one process and keep their one-transaction-per-article guarantee.
A worker sends back one `Extracted` per file: the article's name, content hash
and graph IRI, its triples as one N-Triples string (cheap to pickle, parsed
straight into Oxigraph by Store.put_article_nt), and the counts the report
needs.

Streaming, bounded: files go out in chunks of `chunk` paths, at most `window`
chunks in flight; results are taken in submission order (a chunk that
finishes early waits for the ones before it), so the store is written in the
same order as a serial build and the report is the same -- duplicates,
name clashes, unchanged and replaced articles are decided in the parent with
build.py's own rules. Memory in the parent: the list of paths, the stored
hashes, and `window` chunks of results.

Unchanged articles are not extracted: the parent reads every stored
(file name, content hash) once before the build and gives each chunk the
entries of its own files; a worker that finds the same hash returns without
extracting.

Dask workers must have the project installed (pip install 'jiuye-kg[dask]')
and see the article files at the paths the client gives (absolute paths: a
shared filesystem or the same checkout on every machine).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path


from .articles import DEFAULT_LIMITS, Limits, iter_article_paths
from .build import BuildReport, _first_line, _read, _repeated, _stored_twins
from .graph import article_ntriples
from .pipeline import extract_article
from .store import Store


class ParallelError(RuntimeError):
    """The workers or the scheduler cannot be used; the message says why."""


@dataclass
class Extracted:
    """What a worker sends back for one file."""
    path: str                                   # as the build listed it (for the report)
    source_file: str = ""
    content_hash: str = ""
    graph_iri: str = ""
    ntriples: str | None = None                 # None: not extracted (skipped or unchanged)
    entities: dict = field(default_factory=dict)  # type -> count, mentioned entities only
    figures: int = 0
    skip: str | None = None                     # why the file was skipped


def extract_file(listed: str, path: str, stored_hash: str | None = None,
                 limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """Read and extract one file (the worker's job); never raises for a bad file."""
    report = BuildReport()
    article = _read(Path(path), limits, report)
    if article is None:
        return Extracted(listed, skip=report.skipped[0][1])
    out = Extracted(listed, article.source_file, article.content_hash)
    if stored_hash == article.content_hash:
        return out                               # unchanged: nothing to extract
    try:
        result = extract_article(article)
        graph_iri, out.ntriples = article_ntriples(result)
    except Exception as err:                     # an extractor bug must not stop the build
        out.skip = (f"{listed}: extraction failed ({type(err).__name__}: {_first_line(err)}); "
                    "please report it with this file")
        return out
    out.graph_iri = str(graph_iri)
    out.entities = dict(Counter(e.type for e in result.entities if not e.attrs.get("unmentioned")))
    out.figures = len(result.figures)
    return out


def extract_chunk(items: list[tuple[str, str, str | None]], limits: Limits = DEFAULT_LIMITS) -> list[Extracted]:
    """extract_file over (listed path, path to read, stored hash) items: one task."""
    return [extract_file(listed, path, stored, limits) for listed, path, stored in items]


def _warm() -> None:
    """Load the gazetteer and jieba once per worker (about two seconds)."""
    from .gazetteer import gazetteer
    from .segment import _jieba
    _jieba()
    gazetteer()


# --- engines: submit(items) -> a callable that waits for the chunk's results ----------

Submit = Callable[[list], Callable[[], list[Extracted]]]


@contextmanager
def process_engine(workers: int, limits: Limits) -> Iterator[Submit]:
    """A pool of `workers` local processes (forked after warming up, where fork exists,
    so the workers share the parent's gazetteer and dictionary pages)."""
    if "fork" in mp.get_all_start_methods():
        _warm()
        ctx = mp.get_context("fork")
    else:
        ctx = mp.get_context("spawn")
    pool = ctx.Pool(workers, initializer=_warm)
    try:
        yield lambda items: pool.apply_async(extract_chunk, (items, limits)).get
        pool.close()
    finally:
        pool.terminate()
        pool.join()


@contextmanager
def dask_engine(scheduler: str, limits: Limits) -> Iterator[Submit]:
    """The workers of the Dask cluster whose scheduler listens at `scheduler`."""
    try:
        from distributed import Client
    except ImportError:
        raise ParallelError("--scheduler needs Dask: pip install 'jiuye-kg[dask]'") from None
    try:
        client = Client(scheduler, timeout="15s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ParallelError(f"cannot reach the Dask scheduler at {scheduler} ({_first_line(err)}); "
                            f"is it running (dask scheduler) and is the address right?") from None
    try:
        if not client.scheduler_info().get("workers"):
            client.wait_for_workers(1, timeout=30)
        yield lambda items: client.submit(extract_chunk, items, limits, pure=False).result
    finally:
        client.close()


def _in_order(submit: Submit, chunks: Iterator[list], window: int) -> Iterator[list[Extracted]]:
    """Results chunk by chunk, in submission order, with at most `window` chunks in flight."""
    pending: deque = deque(submit(c) for c in islice(chunks, window))
    while pending:
        wait = pending.popleft()
        for c in islice(chunks, 1):
            pending.append(submit(c))
        yield wait()


# --- the build ----------------------------------------------------------------------------

def build_parallel(paths, store: Store, progress=None, limits: Limits = DEFAULT_LIMITS, *,
                   workers: int | None = None, scheduler: str | None = None,
                   chunk: int = 8, window: int | None = None) -> BuildReport:
    """build.build with the extraction on `workers` processes or a Dask `scheduler`."""
    files = list(iter_article_paths(paths))
    workers = workers or os.cpu_count() or 1
    window = window or 4 * (workers if not scheduler else max(workers, 8))
    stored = store.article_hashes()
    names = {p.name for p in files}

    def chunks() -> Iterator[list]:
        for i in range(0, len(files), chunk):
            yield [(str(p), str(p.resolve()) if scheduler else str(p), stored.get(p.name))
                   for p in files[i:i + chunk]]

    engine = dask_engine(scheduler, limits) if scheduler else process_engine(workers, limits)
    report = BuildReport()
    seen: dict = {}
    waiting: list[Extracted] = []
    tick = iter(progress(files)) if progress else None
    with engine as submit:
        for batch in _in_order(submit, chunks(), window):
            for x in batch:
                if tick is not None:
                    next(tick, None)
                if x.content_hash == "":             # unreadable: skipped by the reader
                    report.skipped.append((x.path, x.skip))
                    continue
                if _repeated(x, Path(x.path), seen, report):
                    continue
                twins = _stored_twins(store, x)
                if twins and any(t in names and t not in {n for n, _ in seen.values()} for t in twins):
                    waiting.append(x)                # decide once the twin has been read
                elif twins:
                    report.duplicates.append((x.source_file, twins[0]))
                else:
                    _store(x, store, report)
    for x in waiting:                                # the twin may have been replaced meanwhile
        twins = _stored_twins(store, x)
        if twins:
            report.duplicates.append((x.source_file, twins[0]))
        else:
            _store(x, store, report)
    return report


def _store(x: Extracted, store: Store, report: BuildReport) -> None:
    stored = store.article_hash(x.source_file)
    if stored == x.content_hash:
        report.unchanged += 1
        return
    if x.ntriples is None:
        if x.skip:                                   # the extractor failed on it
            report.skipped.append((x.path, x.skip))
            return
        # extraction was skipped on a stale "unchanged": cannot happen within one build,
        # since each file name is stored once; say so rather than store nothing.
        print(f"kg build: {x.path} changed while building; run the build again", file=sys.stderr)
        return
    store.put_article_nt(x.graph_iri, x.ntriples)
    report.read += 1
    report.triples += x.ntriples.count("\n")
    report.replaced += stored is not None
    report.entities.update(x.entities)
    report.figures += x.figures
