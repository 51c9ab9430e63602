"""A build: article files -> store -> exports, with a report of what happened.

Articles stream one at a time (memory grows with the graph, not the corpus).
Each article's triples replace its named graph in one store transaction, so
an interrupted build leaves the store as it was before that article, and the
next build picks up where it stopped: articles whose content hash is already
in the store are skipped. Exports are written atomically after the store.

Nothing is stored twice and nothing is lost silently: the same content under
a second file name (in this build or stored by an earlier one) is reported as
a duplicate; two different files with the same name (articles are keyed by
file name) are reported, the second skipped; files that cannot be read are
skipped with a one-line reason (see docs/reliability.md).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .articles import DEFAULT_LIMITS, ArticleError, Limits, iter_article_paths, read_article
from .graph import article_ntriples
from .pipeline import extract_article


@dataclass
class BuildReport:
    read: int = 0                                    # articles extracted and stored
    unchanged: int = 0                               # already in the store with the same content
    replaced: int = 0                                # in the store before, content changed
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, same content as)
    skipped: list[tuple[str, str]] = field(default_factory=list)     # (file, why)
    entities: Counter = field(default_factory=Counter)               # per type, this build
    figures: int = 0
    triples: int = 0                                 # written by this build (each article's, summed)
    store_triples: int | None = None                 # distinct triples in the store, when counted

    def summary(self) -> str:
        lines = [f"articles read: {self.read}"
                 + (f" ({self.replaced} replaced a changed version)" if self.replaced else ""),
                 f"unchanged, already in the store: {self.unchanged}"]
        if self.duplicates:
            lines.append(f"duplicates (same content under another name), stored once: {len(self.duplicates)}")
            lines += [f"  {f}: same as {other}" for f, other in self.duplicates]
        lines.append(f"skipped: {len(self.skipped)}")
        lines += [f"  {why}" for _, why in self.skipped]
        if self.entities:
            lines.append("entities: " + ", ".join(f"{t} {n}" for t, n in sorted(self.entities.items())))
        lines.append(f"figures: {self.figures}")
        lines.append(f"triples written: {self.triples}")
        if self.store_triples is not None:
            lines.append(f"triples in the store: {self.store_triples}")
        return "\n".join(lines)


def build(paths, store, progress=None, limits: Limits = DEFAULT_LIMITS, *,
          workers: int = 1, scheduler: str | None = None) -> BuildReport:
    """Read, extract and store every article under `paths` into `store`.

    A file that cannot be read, or whose extraction fails, is skipped and
    reported; nothing else stops the build short of a store error. With
    workers > 1 or a Dask scheduler address the extraction runs there
    (kg/parallel.py); the store is still written here, in the same order.
    The store is not counted (a full scan of a large store: seconds); callers
    that want the total set report.store_triples = store.count().
    """
    if workers > 1 or scheduler:
        from .parallel import build_parallel
        return build_parallel(paths, store, progress, limits, workers=workers, scheduler=scheduler)
    report = BuildReport()
    files = list(iter_article_paths(paths))
    names = {p.name for p in files}
    seen: dict[str, tuple[str, Path]] = {}          # content hash -> (file name, path) this build
    waiting = []                                    # same content as a stored file not read yet
    for path in (progress(files) if progress else files):
        article = _read(path, limits, report)
        if article is None or _repeated(article, path, seen, report):
            continue
        twins = _stored_twins(store, article)
        if twins and any(t in names and t not in {n for n, _ in seen.values()} for t in twins):
            waiting.append((article, path))         # decide once the twin has been read
        elif twins:
            report.duplicates.append((article.source_file, twins[0]))
        else:
            _store(article, path, store, report)
    for article, path in waiting:                   # the twin may have been replaced meanwhile
        twins = _stored_twins(store, article)
        if twins:
            report.duplicates.append((article.source_file, twins[0]))
        else:
            _store(article, path, store, report)
    return report


def _read(path: Path, limits: Limits, report: BuildReport):
    """The article at `path`, or None with the reason recorded as a skip."""
    try:
        return read_article(path, limits)
    except ArticleError as err:
        report.skipped.append((str(path), str(err)))
    except Exception as err:                         # a reader bug must not stop the build
        report.skipped.append((str(path), f"{path}: reading failed ({type(err).__name__}: "
                                          f"{_first_line(err)}); please report it with this file"))
    return None


def _repeated(article, path: Path, seen: dict, report: BuildReport) -> bool:
    """True (and reported) when this build already read the same content, or
    another file of the same name: articles are keyed by file name, so the
    second would silently replace the first."""
    h, name = article.content_hash, article.source_file
    if h in seen:
        report.duplicates.append((name, seen[h][0]))
        return True
    clash = next((p for n, p in seen.values() if n == name), None)
    if clash is not None:
        report.skipped.append((str(path), f"{path}: another file named {name} ({clash}) was read in "
                                          "this build and articles are keyed by file name; rename one"))
        return True
    seen[h] = (name, path)
    return False


def _stored_twins(store, article) -> list[str]:
    """Other file names under which the store holds this very content."""
    if store.article_hash(article.source_file) == article.content_hash:
        return []
    return [f for f in store.files_with_hash(article.content_hash) if f != article.source_file]


def _store(article, path: Path, store, report: BuildReport) -> None:
    """Extract one article and put its graph in the store (one transaction)."""
    stored = store.article_hash(article.source_file)
    if stored == article.content_hash:
        report.unchanged += 1
        return
    try:
        result = extract_article(article)
        graph_iri, ntriples = article_ntriples(result)
    except Exception as err:                         # an extractor bug must not stop the build
        report.skipped.append((str(path), f"{path}: extraction failed ({type(err).__name__}: "
                                          f"{_first_line(err)}); please report it with this file"))
        return
    store.put_article_nt(graph_iri, ntriples)
    report.read += 1
    report.triples += ntriples.count("\n")
    report.replaced += stored is not None
    report.entities.update(e.type for e in result.entities if not e.attrs.get("unmentioned"))
    report.figures += len(result.figures)


def _first_line(err: Exception) -> str:
    text = " ".join(str(err).split())
    return text[:200]


def default_paths(paths) -> list[Path]:
    return [Path(p) for p in paths] if paths else [Path("seeds")]
