"""`kg serve`: the built store over the SPARQL 1.1 Protocol, read-only.

    GET  /sparql?query=…                         a query (results by Accept header)
    POST /sparql  query=… (form) | application/sparql-query body
    GET  /sparql                                  the SPARQL 1.1 Service Description (Turtle)
    GET  /                                        a small query page (kg/server_page.py)

SELECT/ASK answer in SPARQL 1.1 JSON (default), XML, CSV or TSV; CONSTRUCT and
DESCRIBE in Turtle (default), JSON-LD, N-Triples or RDF/XML. Updates are
refused (403). Queries run in worker processes (kg/sparql_pool.py) under a
time limit (503 when over) and a result-size limit (413). Every response
carries `Access-Control-Allow-Origin: *`; OPTIONS answers CORS preflights.

    server = make_server(store_spec, host="127.0.0.1", port=7878)
    server.serve_forever()      # server.shutdown(); server.close() to stop
"""
from __future__ import annotations

import os
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .queries import tokenize
from .server_page import render_page
from .sparql_pool import WorkerPool
from .store import PREFIX_STRINGS, OxigraphStore, StoreError, open_store

MAX_BODY = 1 << 20
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}

# media type -> (kind, format); kind "results" for SELECT/ASK, "graph" for CONSTRUCT/DESCRIBE
MEDIA = {
    "application/sparql-results+json": ("results", "json"), "application/json": ("both", "json"),
    "application/sparql-results+xml": ("results", "xml"), "application/xml": ("results", "xml"),
    "text/xml": ("results", "xml"), "text/csv": ("results", "csv"),
    "text/tab-separated-values": ("results", "tsv"),
    "text/turtle": ("graph", "turtle"), "application/x-turtle": ("graph", "turtle"),
    "application/turtle": ("graph", "turtle"), "application/ld+json": ("graph", "jsonld"),
    "application/n-triples": ("graph", "nt"), "text/plain": ("graph", "nt"),
    "application/rdf+xml": ("graph", "rdfxml"),
}
SD_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "JSON-LD", "N-Triples", "RDF_XML"]


# --- content negotiation ----------------------------------------------------------------

def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (ties keep the client's order)."""
    ranges = []
    for i, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((fields[0].lower(), q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges]


def negotiate(header: str | None) -> tuple[str | None, str | None]:
    """(results format, graph format) the Accept header allows, None where none is acceptable."""
    results = graph = None
    for media, _ in parse_accept(header):
        if media in ("*/*", "application/*", "text/*"):
            results = results or ("csv" if media == "text/*" else "json")
            graph = graph or "turtle"
            continue
        kind, fmt = MEDIA.get(media, (None, None))
        if kind in ("results", "both") and results is None:
            results = fmt
        if kind in ("graph", "both") and graph is None:
            graph = "jsonld" if fmt == "json" else fmt
    return results, graph


# --- requests ----------------------------------------------------------------------------

def is_update(sparql: str) -> bool:
    """Whether the request text is a SPARQL Update (its first keyword after the prologue)."""
    toks = [t for t in tokenize(sparql) if t[0] not in ("ws", "comment")]
    i = 0
    while i < len(toks):
        word = toks[i][1].upper() if toks[i][0] == "word" else ""
        if word == "PREFIX":
            i += 3
        elif word == "BASE":
            i += 2
        else:
            return word in UPDATE_WORDS
    return False


def service_description(endpoint: str) -> str:
    """The SPARQL 1.1 Service Description of this endpoint, in Turtle."""
    formats = ", ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in SD_FORMATS)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{endpoint}> a sd:Service ;
  rdfs:label "jiuye-kg SPARQL endpoint (read-only)" ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:resultFormat {formats} ;
  sd:feature sd:UnionDefaultGraph ;
  sd:defaultDataset [ a sd:Dataset ;
    rdfs:comment "The default graph is the merge of the per-article named graphs." ;
    sd:defaultGraph [ a sd:Graph ] ] .
"""


class Handler(BaseHTTPRequestHandler):
    server_version = "jiuye-kg"
    protocol_version = "HTTP/1.1"

    # -- plumbing ------------------------------------------------------------------
    def log_message(self, fmt, *args):          # quiet unless the server says otherwise
        if getattr(self.server, "verbose", False):
            super().log_message(fmt, *args)

    def _send(self, status: int, ctype: str, body: bytes, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _params(self) -> tuple[str, dict]:
        url = urllib.parse.urlsplit(self.path)
        return url.path, urllib.parse.parse_qs(url.query, keep_blank_values=True)

    # -- methods -------------------------------------------------------------------
    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path, params = self._params()
        if path in ("/", "/index.html"):
            return self._page(params)
        if path != "/sparql":
            return self._error(404, f"nothing at {path}: the SPARQL endpoint is /sparql, the query page /")
        if "update" in params:
            return self._refuse_update()
        if "query" not in params:
            host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
            return self._send(200, "text/turtle; charset=utf-8",
                              service_description(f"http://{host}/sparql").encode("utf-8"))
        self._query(params["query"][0], params)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        path, params = self._params()
        if path != "/sparql":
            return self._error(404, f"nothing at {path}: POST queries to /sparql")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._error(413, f"the request body is over {MAX_BODY} bytes")
        body = self.rfile.read(length).decode("utf-8", "replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return self._refuse_update()
        if ctype == "application/sparql-query":
            return self._query(body, params)
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self._refuse_update()
            if "query" not in form:
                return self._error(400, "no query: send query=… (form) or an application/sparql-query body")
            return self._query(form["query"][0], {**params, **form})
        self._error(415, "send application/x-www-form-urlencoded (query=…) or application/sparql-query")

    # -- answers ------------------------------------------------------------------
    def _refuse_update(self) -> None:
        self._error(403, "this endpoint is read-only: SPARQL Update is refused (rebuild with kg build instead)")

    def _job(self, sparql: str, params: dict, accept: str | None) -> tuple:
        if is_update(sparql):
            return ("error", 403, "this endpoint is read-only: SPARQL Update is refused "
                                  "(rebuild with kg build instead)")
        results, graph = negotiate(accept)
        job = {"query": sparql, "results": results, "graph": graph, "max_rows": self.server.max_rows,
               "default_graph": params.get("default-graph-uri", []),
               "named_graph": params.get("named-graph-uri", [])}
        return self.server.pool.run(job)

    def _query(self, sparql: str, params: dict) -> None:
        reply = self._job(sparql, params, self.headers.get("Accept"))
        if reply[0] == "ok":
            return self._send(200, reply[1], reply[2])
        self._error(reply[1], reply[2])

    def _page(self, params: dict) -> None:
        named = self.server.named_queries
        sparql = params.get("query", [""])[0]
        name = params.get("name", [""])[0]
        if name in named and not sparql:
            sparql = named[name][1]
        reply = self._job(sparql, {}, "application/sparql-results+json, text/turtle") \
            if "query" in params and sparql.strip() else None
        result = None
        if reply is not None:
            result = ("ok", reply[1], reply[2].decode("utf-8")) if reply[0] == "ok" else reply
        html = render_page(sparql, {n: question for n, (question, _) in named.items()}, result)
        self._send(200, "text/html; charset=utf-8", html.encode("utf-8"),
                   {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                               "form-action 'self'"})


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, pool: WorkerPool, max_rows: int, named_queries: dict, verbose: bool):
        self.pool, self.max_rows, self.named_queries, self.verbose = pool, max_rows, named_queries, verbose
        super().__init__(address, Handler)

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def store_path(spec: str) -> str:
    """The directory of the on-disk Oxigraph store `spec` names, checked by opening it read-only."""
    with open_store(spec, read_only=True) as store:
        if not isinstance(store, OxigraphStore) or not store.path:
            raise StoreError(f"kg serve needs an on-disk store built by kg build, not {spec!r}")
        return os.path.abspath(store.path)


def named_queries() -> dict[str, tuple[str, str]]:
    """name -> (question, SPARQL text as written) of ontology/queries/*.rq."""
    from .queries import QUERIES_DIR, list_queries
    return {n: (q, (QUERIES_DIR / f"{n}.rq").read_text(encoding="utf-8")) for n, q in list_queries().items()}


def make_server(spec: str, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0,
                max_rows: int = 10000, workers: int = 2, verbose: bool = False) -> SparqlServer:
    """A SPARQL server over store `spec` (not yet serving: call serve_forever)."""
    pool = WorkerPool(store_path(spec), PREFIX_STRINGS, size=workers, timeout=timeout)
    try:
        return SparqlServer((host, port), pool, max_rows, named_queries(), verbose)
    except OSError:
        pool.close()
        raise

