"""A store backend on any SPARQL 1.1 endpoint with Update, over HTTP.

    kg build --store sparql+http://127.0.0.1:7878
    kg query leaders --store sparql+http://127.0.0.1:7878
    open_store("sparql+http://db.example:3030/kg")            # Fuseki dataset /kg
    open_store("sparql+http://db:7200/repositories/kg?query=&update=/statements")   # GraphDB

The location is the endpoint's base URL; queries go to BASE/query and updates
to BASE/update (Oxigraph's `oxigraph serve`, Fuseki's /DATASET), unless the
spec's query string names other paths relative to BASE (`?query=&update=/statements`:
the query endpoint is BASE itself). `sparql+https://` works the same.

Same semantics as the embedded Oxigraph backend (store.OxigraphStore):
every article is one named graph, and the endpoint's real default graph is
kept as the merge of the article graphs, as a set. put_article is ONE update
request -- forget the old graph's triples that no other article states from
the default graph, DROP SILENT the graph, INSERT DATA into it and into the
default graph -- so on a server that runs a request as one transaction
(Oxigraph, Jena/Fuseki, GraphDB) an article is replaced all or nothing.
Queries run against the endpoint's default graph, so the endpoint must NOT
be configured to make its default graph the union of the named graphs
(Oxigraph's --union-default-graph, Fuseki's tdb2:unionDefaultGraph, GraphDB's
default behaviour does the same: there `count()` and queries see each
article's triples once more, stated in the default graph too). Terms travel
as N-Triples (Oxigraph's serialiser escapes every literal); servers that
apply SPARQL's \\u pre-pass to the whole request (Jena) read an escaped
control character in a literal as the character itself: graph.clean() keeps
those out of the graph.

Results come back as SPARQL JSON (SELECT, ASK) or N-Triples (CONSTRUCT,
DESCRIBE), parsed by pyoxigraph as they stream in and returned as an rdflib
Result of rdflib terms, like the other backends. Errors are one line: an
unreachable endpoint or a refused request is a StoreError, a query the
server rejects (HTTP 400) a QueryError.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.query import Result

from .namespace import KG, PREFIXES
from .store import (Quad, QueryError, Store, StoreError, _forget_graph, _one_line, from_ox,
                    result_from_ox, to_ox)

# one line, so the server's error positions keep the query's own line numbers (but the first)
_PROLOGUE = "".join(f"PREFIX {p}: <{ns}> " for p, ns in PREFIXES.items())
_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
           "text/plain;q=0.5")


def endpoints(url: str) -> tuple[str, str]:
    """(query URL, update URL) of a location like http://host:port/base?update=/statements."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"not a SPARQL endpoint URL: {url!r} (use sparql+http://HOST:PORT/PATH)")
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    given = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    unknown = set(given) - {"query", "update"}
    if unknown:
        raise StoreError(f"unknown option(s) {', '.join(sorted(unknown))} in {url!r}: "
                         f"only ?query=PATH&update=PATH are understood")
    return base + given.get("query", "/query"), base + given.get("update", "/update")


class SparqlStore(Store):
    """A remote SPARQL 1.1 Query + Update endpoint (see the module docstring)."""

    backend = "sparql"

    def __init__(self, url: str, read_only: bool = False, timeout: float = 300.0):
        self.url = url
        self.read_only = read_only
        self.timeout = timeout
        self.query_url, self.update_url = endpoints(url)
        self._closed = False
        self._request(self.query_url, {"query": "ASK {}"})        # reachable? fail now, in one line

    def __repr__(self) -> str:
        return f"<sparql store {self.url}{' (read-only)' if self.read_only else ''}>"

    __str__ = __repr__

    # -- HTTP -----------------------------------------------------------------
    def _request(self, url: str, form: dict, accept: str = _ACCEPT):
        """POST the form; the open response (a file to stream from)."""
        if self._closed:
            raise StoreError(f"{self} is closed")
        data = urllib.parse.urlencode(form).encode("utf-8")
        req = urllib.request.Request(url, data=data, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept})
        try:
            return urllib.request.urlopen(req, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace")
            e.close()
            msg = _one_line(Exception(body or e.reason))
            if e.code == 400:
                raise QueryError(f"the endpoint rejected the request: {msg}") from None
            raise StoreError(f"{url} answered HTTP {e.code}: {msg}") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise StoreError(f"cannot reach the SPARQL endpoint {url} ({reason}); "
                             f"is the server running?") from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update request (one request, one transaction on most servers)."""
        self._writable()
        with self._request(self.update_url, {"update": sparql}, accept="*/*") as r:
            r.read()

    def _select(self, sparql: str) -> Iterator[tuple]:
        """Rows of a SELECT (pyoxigraph terms, None for unbound), streamed."""
        with self._request(self.query_url, {"query": _PROLOGUE + sparql},
                           accept="application/sparql-results+json") as r:
            res = ox.parse_query_results(r, format=ox.QueryResultsFormat.JSON)
            for sol in res:
                yield tuple(sol)

    # -- articles -------------------------------------------------------------
    def put_article(self, graph_iri, graph: Graph) -> None:
        bnodes: dict = {}
        triples = [ox.Triple(to_ox(s, bnodes), to_ox(p, bnodes), to_ox(o, bnodes)) for s, p, o in graph]
        self.put_article_nt(graph_iri, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))

    def put_article_nt(self, graph_iri, ntriples: str) -> None:
        g = ox.NamedNode(str(graph_iri))
        insert = (f" ;\nINSERT DATA {{ GRAPH {g} {{\n{ntriples}}} }} ;\nINSERT DATA {{\n{ntriples}}}"
                  if ntriples.strip() else "")
        self.update(_forget_graph(g) + insert)

    def remove_article(self, graph_iri) -> bool:
        self._writable()
        g = ox.NamedNode(str(graph_iri))
        if not self._ask(f"ASK {{ GRAPH {g} {{ ?s ?p ?o }} }}"):
            return False
        self.update(_forget_graph(g))
        return True

    def article_hash(self, source_file: str) -> str | None:
        sf = ox.Literal(source_file)
        for (h,) in self._select(f"SELECT ?h WHERE {{ GRAPH ?g {{ ?a <{KG.sourceFile}> {sf} ; "
                                 f"<{KG.contentHash}> ?h }} }} LIMIT 1"):
            return h.value if h is not None else None
        return None

    def files_with_hash(self, content_hash: str) -> list[str]:
        """One SELECT (the base class would fetch every article's hash)."""
        h = ox.Literal(content_hash)
        return sorted({f.value for (f,) in self._select(
            f"SELECT DISTINCT ?f WHERE {{ GRAPH ?g {{ ?a <{KG.contentHash}> {h} ; <{KG.sourceFile}> ?f }} }}")
            if f is not None})

    def graph_names(self) -> list[URIRef]:
        return [from_ox(g) for (g,) in self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]

    # -- reading --------------------------------------------------------------
    def _ask(self, sparql: str) -> bool:
        return bool(self.query(sparql).askAnswer)

    def query(self, sparql: str) -> Result:
        with self._request(self.query_url, {"query": _PROLOGUE + sparql}) as r:
            ctype = (r.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype in ("application/sparql-results+json", "application/json"):
                return result_from_ox(ox.parse_query_results(r, format=ox.QueryResultsFormat.JSON))
            if ctype in ("application/n-triples", "text/plain"):
                return result_from_ox(ox.parse(r, format=ox.RdfFormat.N_TRIPLES))
            raise StoreError(f"{self.query_url} answered with {ctype or 'no content type'}, "
                             f"not SPARQL JSON results or N-Triples")

    def quads(self) -> Iterator[Quad]:
        """The quads of the article graphs (not the merged default graph), streamed."""
        for s, p, o, g in self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield from_ox(s), from_ox(p), from_ox(o), from_ox(g)

    def count(self) -> int:
        """Distinct triples of the graph (the merged default graph's size)."""
        for (n,) in self._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"):
            return int(n.value)
        return 0

    # -- housekeeping ---------------------------------------------------------
    def clear(self) -> None:
        """Remove everything the endpoint holds, every graph (not only articles)."""
        self.update("DROP ALL")

    def close(self) -> None:
        self._closed = True


def open_sparql(scheme: str, location: str, read_only: bool) -> SparqlStore:
    """The store registry's factory for sparql+http: and sparql+https: specs."""
    return SparqlStore(f"{scheme}:{location}", read_only)
