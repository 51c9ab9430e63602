"""A build: article files -> store -> exports, with a report of what happened.

Articles stream one at a time (memory grows with the graph, not the corpus).
Each article's triples replace its named graph in one store transaction, so
an interrupted build leaves the store as it was before that article, and the
next build picks up where it stopped: articles whose content hash is already
in the store are skipped. Exports are written atomically after the store.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .articles import ArticleError, iter_article_paths, read_article
from .graph import article_statements
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
    triples: int = 0                                 # in the store after the build

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
        lines.append(f"triples in the store: {self.triples}")
        return "\n".join(lines)


def build(paths, store, progress=None) -> BuildReport:
    """Read, extract and store every article under `paths` into `store`."""
    report = BuildReport()
    files = list(iter_article_paths(paths))
    seen_hashes: dict[str, str] = {}
    bar = progress(files) if progress else files
    for path in bar:
        try:
            article = read_article(path)
        except ArticleError as err:
            report.skipped.append((str(path), str(err)))
            continue
        if article.content_hash in seen_hashes:
            report.duplicates.append((article.source_file, seen_hashes[article.content_hash]))
            continue
        seen_hashes[article.content_hash] = article.source_file
        stored = store.article_hash(article.source_file)
        if stored == article.content_hash:
            report.unchanged += 1
            continue
        try:
            result = extract_article(article)
        except Exception as err:                     # an extractor bug must not stop the build
            report.skipped.append((str(path), f"{path}: extraction failed ({type(err).__name__}: {err}); "
                                               "please report it with this file"))
            continue
        graph_iri, graph = article_statements(result)
        store.put_article(graph_iri, graph)
        report.read += 1
        report.replaced += stored is not None
        report.entities.update(e.type for e in result.entities if not e.attrs.get("unmentioned"))
        report.figures += len(result.figures)
    report.triples = store.count()
    return report


def default_paths(paths) -> list[Path]:
    return [Path(p) for p in paths] if paths else [Path("seeds")]
