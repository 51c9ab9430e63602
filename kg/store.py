"""The store the graph is built into and queried from, behind one small interface.

Every article is one named graph (graph.article_graph), so the store's whole
job is: replace an article's graph, drop it, tell whether the stored copy is
current (its kg:contentHash), answer SPARQL over the union of all graphs, and
hand the quads to export.

    with open_store("oxigraph:build/store") as store:      # or a bare path
        if store.article_hash(result.article.source_file) != result.article.content_hash:
            store.put_article(*article_graph(result))
        store.query("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:District }")

Backends are registered by name (register_backend) and picked by the spec
given to open_store:

    oxigraph:PATH   embedded on-disk Oxigraph (RocksDB) -- the default; a bare
                    PATH means the same. "oxigraph:" alone is an in-memory
                    Oxigraph (nothing written to disk).
    memory:         rdflib's in-memory Dataset: tests and comparison.
    sparql+http://HOST:PORT/PATH   any SPARQL 1.1 Query+Update endpoint
                    (kg/store_sparql.py; sparql+https:// too).

Oxigraph is used through pyoxigraph directly rather than through oxrdflib's
rdflib store: it gives SPARQL UPDATE as one transaction (what makes
put_article atomic), Store.read_only, and its own fast serialisers with
prefixes (export.py). Writes cost about the same either way (500 articles of
150 triples: 2.5 s through oxrdflib, 2.9-3.7 s here), but a SELECT returning
11 000 rows took 0.04 s through pyoxigraph against 0.19 s through oxrdflib's
rdflib layer. On disk, a new 44-triple article is stored in ~1.7 ms, a
replacement in ~3.4 ms; article_hash takes ~0.07 ms. Results are converted
to rdflib terms and returned as an rdflib `query.Result`, so callers see the
same thing whatever the backend.

The default graph is the merge of the article graphs, as a set: every
triple once however many articles state it (Oxigraph's own union view is a
bag, so a label stated by three articles would match three times). The
Oxigraph backend keeps that merged graph as its real default graph, updated in
the same transaction as the article graph (a triple leaves it when the last
article stating it goes); rdflib's union view is a set already.

Atomicity: put_article on Oxigraph is a single transaction -- a plain
`extend` (transactional) when the graph is new, else one SPARQL UPDATE
request (forget the old graph's triples no other article states, DROP the
graph, INSERT DATA into it and into the merged default graph), which
Oxigraph applies all or nothing. A build interrupted at any point leaves every
article either at its old or its new version, never half written. (pyoxigraph's
bulk_extend/bulk_load are not transactional and are not used.) The memory
backend builds the new triples before it touches the old graph; it holds no
durable state anyway.

Locking: an on-disk Oxigraph store can be open read-write by one process only;
opening it a second time raises StoreLocked with a one-line hint.
open_store(spec, read_only=True) opens a read-only view that takes no lock
(`kg query`), though what it sees while a build is writing is undefined
(Oxigraph's words), so it is best used when no build runs.
"""
from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.term import Node, Variable

from .graph import bind_prefixes
from .namespace import KG, PREFIXES
from .terms import from_ox, to_ox  # noqa: F401  (re-exported)

Quad = tuple[Node, Node, Node, "URIRef | BNode | None"]   # graph None: the default graph

PREFIX_STRINGS = {p: str(ns) for p, ns in PREFIXES.items()}


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message says why and what to do."""


class StoreLocked(StoreError):
    """Another process (or this one) holds the on-disk store open for writing."""


class QueryError(ValueError):
    """A SPARQL query the backend could not parse or run."""


class Store(ABC):
    """What the pipeline needs from a quad store.

    Terms going in and out are rdflib terms. query() sees the union of all
    named graphs as its default graph, and knows the project prefixes
    (namespace.PREFIXES) without PREFIX declarations.
    """

    backend: str = "?"
    read_only: bool = False

    # -- articles -------------------------------------------------------------
    @abstractmethod
    def put_article(self, graph_iri: str | URIRef, graph: Graph) -> None:
        """Replace named graph `graph_iri` by the triples of `graph`, atomically."""

    def put_article_nt(self, graph_iri: str | URIRef, ntriples: str) -> None:
        """put_article with the triples given as N-Triples text (what the build
        workers of kg.parallel send: one string pickles cheaply)."""
        triples = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                   for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
        self.put_article(graph_iri, triples)

    @abstractmethod
    def remove_article(self, graph_iri: str | URIRef) -> bool:
        """Drop named graph `graph_iri`; False when there was no such graph."""

    @abstractmethod
    def article_hash(self, source_file: str) -> str | None:
        """The kg:contentHash stored for the article read from `source_file`
        (None when the store does not hold it): equal hashes, nothing to redo."""

    def article_hashes(self) -> dict[str, str]:
        """source file -> kg:contentHash of every article in the store."""
        rows = self.query(
            "SELECT ?f ?h WHERE { GRAPH ?g { ?a kg:sourceFile ?f ; kg:contentHash ?h } }")
        return {str(f): str(h) for f, h in rows}

    def files_with_hash(self, content_hash: str) -> list[str]:
        """Source files of the stored articles whose kg:contentHash is
        `content_hash`: build.py reports the same content under a new file
        name as a duplicate instead of storing it twice."""
        return sorted(f for f, h in self.article_hashes().items() if h == content_hash)

    @abstractmethod
    def graph_names(self) -> list[URIRef]:
        """The named graphs in the store (one per article)."""

    # -- reading --------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str) -> Result:
        """Run a SPARQL query over the union of all named graphs.

        SELECT rows, the ASK answer or the CONSTRUCT/DESCRIBE graph come back
        as rdflib terms in an rdflib Result. Raises QueryError on a bad query.
        """

    @abstractmethod
    def quads(self) -> Iterator[Quad]:
        """Every (s, p, o, graph) in the store; graph None for the default graph."""

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """Every triple of the merged graph once, streamed (the explorer reads
        this: no copy of the store is held)."""
        seen = set()
        for s, p, o, _ in self.quads():
            if (s, p, o) not in seen:
                seen.add((s, p, o))
                yield s, p, o

    def dataset(self) -> Dataset:
        """The whole store as an rdflib Dataset (a copy, in memory)."""
        ds = bind_prefixes(Dataset())
        for s, p, o, g in self.quads():
            ds.add((s, p, o, g if g is not None else DATASET_DEFAULT_GRAPH_ID))
        return ds

    @abstractmethod
    def count(self) -> int:
        """Number of distinct triples: a triple stated by three articles counts once."""

    # -- housekeeping ---------------------------------------------------------
    @abstractmethod
    def clear(self) -> None:
        """Remove everything."""

    def flush(self) -> None:
        """Make written data durable (where the backend buffers)."""

    def close(self) -> None:
        """Release the store (and its lock). Using it afterwards raises StoreError."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self} is open read-only")


# --- the registry ---------------------------------------------------------------

StoreFactory = Callable[[str, bool], Store]   # (location, read_only) -> Store
_BACKENDS: dict[str, StoreFactory] = {}
DEFAULT_BACKEND = "oxigraph"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):(.*)$", re.S)


def register_backend(name: str, factory: StoreFactory) -> None:
    """Make `name:LOCATION` specs open stores with factory(LOCATION, read_only)."""
    _BACKENDS[name.lower()] = factory


def backends() -> list[str]:
    return sorted(_BACKENDS)


def parse_spec(spec: str | os.PathLike) -> tuple[str, str]:
    """'oxigraph:build/store' -> ('oxigraph', 'build/store'); a bare path -> oxigraph."""
    if isinstance(spec, os.PathLike):
        return DEFAULT_BACKEND, os.fspath(spec)
    m = _SCHEME.match(spec)
    if m:
        name = m.group(1).lower()
        if name in _BACKENDS:
            return name, m.group(2)
        if not os.path.exists(spec):   # a path that happens to hold a colon is fine
            raise StoreError(f"unknown store backend {m.group(1)!r} in {spec!r}; "
                             f"use one of {', '.join(n + ':' for n in backends())} or a path")
    return DEFAULT_BACKEND, spec


def open_store(spec: str | os.PathLike, *, read_only: bool = False) -> Store:
    """Open the store `spec` names (see the module docstring)."""
    name, location = parse_spec(spec)
    return _BACKENDS[name](location, read_only)


# --- Oxigraph --------------------------------------------------------------------

class OxigraphStore(Store):
    """pyoxigraph.Store: on disk (RocksDB) at `path`, or in memory when path is ''."""

    backend = "oxigraph"

    def __init__(self, path: str | os.PathLike = "", read_only: bool = False):
        self.path = os.fspath(path)
        self.read_only = read_only
        self._ox: ox.Store | None = _open_oxigraph(self.path, read_only)

    def __repr__(self) -> str:
        mode = " (read-only)" if self.read_only else ""
        return f"<oxigraph store {self.path or ':memory:'}{mode}>"

    __str__ = __repr__

    @property
    def ox(self) -> ox.Store:
        """The underlying pyoxigraph.Store (export.py uses its serialisers)."""
        if self._ox is None:
            raise StoreError(f"{self} is closed")
        return self._ox

    def put_article(self, graph_iri, graph: Graph) -> None:
        self._writable()
        g = ox.NamedNode(str(graph_iri))
        bnodes: dict = {}
        triples = [ox.Triple(to_ox(s, bnodes), to_ox(p, bnodes), to_ox(o, bnodes))
                   for s, p, o in graph]
        self._put(g, triples)

    def put_article_nt(self, graph_iri, ntriples: str) -> None:
        """put_article from N-Triples text, one triple a line (what
        graph.article_ntriples writes): loaded by Oxigraph, no terms made here."""
        self._writable()
        g = ox.NamedNode(str(graph_iri))
        if self.ox.contains_named_graph(g):
            for _ in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
                pass                  # valid N-Triples first: then it cannot leave INSERT DATA
            self._replace(g, ntriples)
        else:   # one load is one transaction: the graph and the merged default graph
            self.ox.load(input=_as_nquads(ntriples, g), format=ox.RdfFormat.N_QUADS)

    def _put(self, g: ox.NamedNode, triples: list) -> None:
        store = self.ox
        if not store.contains_named_graph(g):
            default = ox.DefaultGraph()
            store.extend([ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
                         + [ox.Quad(t.subject, t.predicate, t.object, default) for t in triples])
            return
        self._replace(g, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))

    def _replace(self, g: ox.NamedNode, body: str) -> None:
        # One UPDATE request is one transaction: the old graph goes (and its
        # triples leave the merged default graph unless another article still
        # states them), the new one comes; or nothing happens. N-Triples escapes
        # every literal, and Oxigraph (unlike the SPARQL spec's pre-pass) reads
        # \\u escapes only inside strings, so the text cannot leave INSERT DATA.
        insert = f" ;\nINSERT DATA {{ GRAPH {g} {{\n{body}}} }} ;\nINSERT DATA {{\n{body}}}" if body.strip() else ""
        self.ox.update(_forget_graph(g) + insert)

    def remove_article(self, graph_iri) -> bool:
        self._writable()
        g = ox.NamedNode(str(graph_iri))
        if not self.ox.contains_named_graph(g):
            return False
        self.ox.update(_forget_graph(g))
        return True

    def article_hash(self, source_file: str) -> str | None:
        store = self.ox
        sf, ch = ox.NamedNode(str(KG.sourceFile)), ox.NamedNode(str(KG.contentHash))
        for q in store.quads_for_pattern(None, sf, ox.Literal(source_file), None):
            for h in store.quads_for_pattern(q.subject, ch, None, q.graph_name):
                return h.object.value
        return None

    def files_with_hash(self, content_hash: str) -> list[str]:
        store = self.ox
        sf, ch = ox.NamedNode(str(KG.sourceFile)), ox.NamedNode(str(KG.contentHash))
        files = set()
        for q in store.quads_for_pattern(None, ch, ox.Literal(content_hash), None):
            if not isinstance(q.graph_name, ox.DefaultGraph):
                files.update(f.object.value
                             for f in store.quads_for_pattern(q.subject, sf, None, q.graph_name))
        return sorted(files)

    def graph_names(self) -> list[URIRef]:
        return [from_ox(g) for g in self.ox.named_graphs()]

    def query(self, sparql: str) -> Result:
        try:
            res = self.ox.query(sparql, prefixes=PREFIX_STRINGS)   # the merged default graph
            return result_from_ox(res)
        except SyntaxError as e:
            raise QueryError(f"bad SPARQL: {_one_line(e)}") from None
        except OSError as e:
            raise StoreError(f"{self}: {e}") from None

    def quads(self) -> Iterator[Quad]:
        """The quads of the article graphs (not the merged default graph)."""
        for q in self.ox:
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name)

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """The merged default graph: every triple once, streamed from RocksDB."""
        for q in self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)

    def count(self) -> int:
        """Distinct triples of the graph (the merged default graph's size)."""
        rows = list(self.ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        return int(rows[0][0].value)

    def clear(self) -> None:
        self._writable()
        self.ox.clear()

    def flush(self) -> None:
        if self._ox is not None and not self.read_only and self.path:
            self._ox.flush()

    def close(self) -> None:
        if self._ox is None:
            return
        try:
            self.flush()
        finally:
            # pyoxigraph has no close(): the RocksDB lock goes with the object.
            self._ox = None


def result_from_ox(res) -> Result:
    """A pyoxigraph query result (boolean, solutions or triples) as an rdflib
    Result, so every backend answers callers the same way."""
    if isinstance(res, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(res)
        return out
    if isinstance(res, ox.QuerySolutions):
        names = [Variable(v.value) for v in res.variables]
        out = Result("SELECT")
        out.vars = names
        out.bindings = [{v: from_ox(t) for v, t in zip(names, sol) if t is not None} for sol in res]
        return out
    out = Result("CONSTRUCT")
    g = bind_prefixes(Graph())
    for t in res:
        g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    out.graph = g
    return out


def _as_nquads(ntriples: str, g: ox.NamedNode) -> str:
    """N-Triples lines as N-Quads: each triple in graph `g`, then again in the
    default graph (the merged graph, see the module docstring)."""
    lines = [line for line in ntriples.splitlines() if line.strip()]
    in_graph = f" {g} ."
    return "\n".join([line.rstrip()[:-1].rstrip() + in_graph for line in lines] + lines) + "\n"


def _forget_graph(g) -> str:
    """SPARQL UPDATE that drops an article graph and, from the merged default
    graph, the triples no other article graph still states."""
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }} ;\n"
            f"DROP SILENT GRAPH {g}")


def _one_line(err: Exception, limit: int = 160) -> str:
    """A parser's message cut to one line (Oxigraph lists every expected token)."""
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _open_oxigraph(path: str, read_only: bool) -> ox.Store:
    if not path:
        if read_only:
            raise StoreError("an in-memory oxigraph store cannot be opened read-only")
        return ox.Store()
    if read_only:
        if not (Path(path) / "CURRENT").is_file():
            raise StoreError(f"no store at {path}: build one first (kg build)")
        try:
            return ox.Store.read_only(path)
        except OSError as e:
            raise StoreError(f"cannot open store {path} read-only: {e}") from None
    try:
        return ox.Store(path)
    except OSError as e:
        msg = str(e)
        if "lock" in msg.lower():
            if "current process" in msg:
                raise StoreLocked(f"store {path} is already open in this process: "
                                  f"close it before opening it again") from None
            raise StoreLocked(
                f"store {path} is locked by another process (a running kg build?): wait "
                f"for it to finish or stop it, or open the store read-only") from None
        raise StoreError(f"cannot open store {path}: {msg}") from None


# --- rdflib in memory ------------------------------------------------------------

class MemoryStore(Store):
    """rdflib's in-memory Dataset with the union of named graphs as default graph."""

    backend = "memory"

    def __init__(self, location: str = "", read_only: bool = False):
        if location:
            raise StoreError(f"the memory store takes no location (got {location!r})")
        self.read_only = False        # nothing to protect: it starts empty
        self._ds: Dataset | None = bind_prefixes(Dataset(default_union=True))

    def __repr__(self) -> str:
        return "<memory store>"

    @property
    def ds(self) -> Dataset:
        if self._ds is None:
            raise StoreError(f"{self} is closed")
        return self._ds

    def put_article(self, graph_iri, graph: Graph) -> None:
        iri = URIRef(str(graph_iri))
        triples = list(graph)          # everything built before the old graph goes
        ds = self.ds
        ds.remove_graph(iri)
        target = ds.graph(iri)
        ds.addN((s, p, o, target) for s, p, o in triples)

    def article_hash(self, source_file: str) -> str | None:
        ds = self.ds
        for a in ds.subjects(KG.sourceFile, Literal(source_file)):
            h = ds.value(a, KG.contentHash)
            if h is not None:
                return str(h)
        return None

    def files_with_hash(self, content_hash: str) -> list[str]:
        """One index lookup (the default goes through every stored article)."""
        ds = self.ds
        return sorted({str(f) for a in ds.subjects(KG.contentHash, Literal(content_hash))
                       for f in ds.objects(a, KG.sourceFile)})

    def remove_article(self, graph_iri) -> bool:
        iri = URIRef(str(graph_iri))
        if iri not in set(self.graph_names()):
            return False
        self.ds.remove_graph(iri)
        return True

    def graph_names(self) -> list[URIRef]:
        return [g.identifier for g in self.ds.graphs()
                if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)]

    def query(self, sparql: str) -> Result:
        try:
            return self.ds.query(sparql, initNs=PREFIXES)
        except Exception as e:  # pyparsing.ParseException, ValueError, …
            if type(e).__name__ in ("ParseException", "ParseSyntaxException", "ParseFatalException"):
                raise QueryError(f"bad SPARQL: {_one_line(e)}") from None
            raise

    def quads(self) -> Iterator[Quad]:
        for s, p, o, g in self.ds.quads((None, None, None, None)):
            gid = getattr(g, "identifier", g)
            yield s, p, o, None if gid == DATASET_DEFAULT_GRAPH_ID else gid

    def dataset(self) -> Dataset:
        """The live Dataset (read it, do not change it)."""
        return self.ds

    def count(self) -> int:
        """Distinct triples of the union."""
        return len({(s, p, o) for s, p, o, _ in self.ds.quads((None, None, None, None))})

    def clear(self) -> None:
        self._ds = bind_prefixes(Dataset(default_union=True))

    def close(self) -> None:
        self._ds = None


register_backend("oxigraph", lambda location, read_only: OxigraphStore(location, read_only))
register_backend("memory", lambda location, read_only: MemoryStore(location, read_only))


def _sparql(scheme: str) -> StoreFactory:
    def factory(location: str, read_only: bool) -> Store:
        from .store_sparql import open_sparql          # imported on use: it imports this module
        return open_sparql(scheme, location, read_only)
    return factory


register_backend("sparql+http", _sparql("http"))      # any SPARQL 1.1 endpoint: kg/store_sparql.py
register_backend("sparql+https", _sparql("https"))
