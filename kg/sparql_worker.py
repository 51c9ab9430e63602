"""The process that runs SPARQL queries for `kg serve`, and the result formats.

A worker opens the store read-only, then answers jobs sent over a
multiprocessing pipe, one at a time:

    job    {"query": str, "results": "json"|"xml"|"csv"|"tsv"|None,
            "graph": "turtle"|"jsonld"|"nt"|"rdfxml"|None, "max_rows": int,
            "default_graph": [iri…], "named_graph": [iri…]}
    reply  ("ok", content_type, body_bytes) | ("error", http_status, one_line_message)

Why a process: pyoxigraph cannot interrupt a running query from Python, and a
thread cannot be killed, so a timed-out query in a thread would go on using a
core. The server (kg/sparql_pool.py) kills the worker process instead. This
module imports only pyoxigraph and the standard library so that a replacement
worker starts in a fraction of a second.
"""
from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPH_TYPES = {
    "turtle": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}


class JobError(Exception):
    """A job that cannot be answered: (HTTP status, one-line message)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


# --- terms ----------------------------------------------------------------------

def json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype.value != XSD_STRING:
        d["datatype"] = t.datatype.value
    return d


def xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
    if t.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
    return f"<literal>{escape(t.value)}</literal>"


def csv_term(t) -> str:
    if t is None:
        return ""
    return f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value


# --- SPARQL 1.1 results formats ------------------------------------------------------

def select_body(fmt: str, names: list[str], rows: list[list]) -> bytes:
    """SELECT results in the SPARQL 1.1 JSON, XML, CSV or TSV format."""
    if fmt == "json":
        doc = {"head": {"vars": names}, "results": {"bindings": [
            {n: json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
               "<head>", *(f"<variable name={quoteattr(n)}/>" for n in names), "</head>", "<results>"]
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(n)}>{xml_term(t)}</binding>"
                                            for n, t in zip(names, row) if t is not None) + "</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(names)
        w.writerows([csv_term(t) for t in row] for row in rows)
        return buf.getvalue().encode("utf-8")
    lines = ["\t".join("?" + n for n in names)]      # tsv: terms in Turtle/N-Triples syntax
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def ask_body(fmt: str, answer: bool) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": answer}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(answer).lower()}</boolean></sparql>").encode()
    sep = "\r\n" if fmt == "csv" else "\n"            # not in the standard; what Jena answers
    return f"_askResult{sep}{str(answer).lower()}{sep}".encode()


# --- running ----------------------------------------------------------------------------

def _too_many(max_rows: int, what: str) -> JobError:
    return JobError(413, f"the result has more than {max_rows} {what} (the server's limit, "
                         f"kg serve --max-rows): add a LIMIT or narrow the query")


def answer(store: ox.Store, job: dict, prefixes: dict) -> tuple[str, bytes]:
    """(content type, body) for one job; raises JobError."""
    kwargs = {"prefixes": prefixes}
    if job.get("default_graph"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graph"]]
    if job.get("named_graph"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graph"]]
    try:
        res = store.query(job["query"], **kwargs)
    except SyntaxError as e:
        raise JobError(400, "bad SPARQL: " + " ".join(str(e).split())[:300]) from None
    except (ValueError, OSError) as e:
        raise JobError(400, "the query cannot run: " + " ".join(str(e).split())[:300]) from None
    limit = job["max_rows"]
    if isinstance(res, ox.QueryBoolean):
        fmt = _need(job["results"], "SPARQL results (JSON, XML, CSV or TSV)")
        return RESULTS_TYPES[fmt], ask_body(fmt, bool(res))
    if isinstance(res, ox.QuerySolutions):
        fmt = _need(job["results"], "SPARQL results (JSON, XML, CSV or TSV)")
        names = [v.value for v in res.variables]
        rows = []
        for sol in res:
            if len(rows) == limit:
                raise _too_many(limit, "rows")
            rows.append([sol[i] for i in range(len(names))])
        return RESULTS_TYPES[fmt], select_body(fmt, names, rows)
    fmt = _need(job["graph"], "an RDF graph (Turtle, JSON-LD, N-Triples or RDF/XML)")
    triples = []
    for t in res:
        if len(triples) == limit:
            raise _too_many(limit, "triples")
        triples.append(t)
    ctype, rdf_format = GRAPH_TYPES[fmt]
    body = ox.serialize(triples, format=rdf_format,
                        **({"prefixes": prefixes} if fmt in ("turtle", "rdfxml") else {}))
    return ctype, body


def _need(fmt: str | None, what: str) -> str:
    if fmt is None:
        raise JobError(406, f"this query returns {what}, and the Accept header allows none of them")
    return fmt


def main(conn, store_path: str, prefixes: dict) -> None:
    """Worker process entry point: open the store, say ready, answer jobs until EOF."""
    try:
        store = ox.Store.read_only(store_path)
    except OSError as e:
        conn.send(("fatal", f"cannot open store {store_path} read-only: {e}"))
        return
    conn.send(("ready", ""))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            ctype, body = answer(store, job, prefixes)
            conn.send(("ok", ctype, body))
        except JobError as e:
            conn.send(("error", e.status, str(e)))
        except Exception as e:                      # never let one query take the worker down
            conn.send(("error", 500, f"the query failed: {type(e).__name__}: {e}"[:300]))
