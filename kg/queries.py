"""Running SPARQL against the store and printing what comes back.

    sparql = load_query("districts")                 # ontology/queries/districts.rq
    sparql = load_query("my.rq") / load_query("SELECT …")
    result = run_query(store, sparql, {"code": "320509"})
    print(format_table(result))                      # or format_csv / format_json
    page = run_query(store, sparql, limit=100, offset=200)   # rows 201-300; page.more

Queries may use the project prefixes (kg:, id:, rdfs:, skos:, xsd: …) without
declaring them: load_query adds the PREFIX lines a query lacks, and the store
knows them too.

Parameters: bind_params(sparql, {"name": value}) puts the value in place of
?name throughout the query (SEP-0007 style substitution, done on the query's
tokens, so ?name inside strings, IRIs and comments is left alone). Values are
written by sparql_term, which escapes every quote, backslash and line break
(and the \\u escapes SPARQL expands before parsing), validates IRIs, language
tags and datatypes, and so cannot end the literal it is in: a value can never
become query text.

Pages: run_query(…, limit=N, offset=M) returns rows M+1 … M+N and says in
`result.more` whether more follow; limit=0 returns every row; limit=None (the
default) runs the query as written. A query pages where it says so: a
sub-select ending in `LIMIT n  #page` picks the page (named queries pick their
page of keys first and look up the rest for that page only), and as written
gives its first page. Such a query runs in two steps: the marked sub-selects
with LIMIT N+1 OFFSET M, then the query with them replaced by the N rows they
gave (a VALUES block), so the page holds exactly those keys whatever the rest
of the query does with them, and the store plans the rest from a known, small
set of rows. Several marked sub-selects are alternatives (e.g. one for "no
parameter", one for "this district"): their rows are taken in the order
written. A SELECT without marks gets LIMIT N+1 OFFSET M at its end; one with
its own top-level LIMIT or OFFSET, and ASK, CONSTRUCT, DESCRIBE, run as written.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .namespace import PREFIXES, XSD
from .store import QueryError, Store

QUERIES_DIR = Path(__file__).resolve().parent.parent / "ontology" / "queries"
OUTPUT_FORMATS = ("table", "csv", "json")
PAGE_SIZE = 100          # rows `kg query` shows unless --limit / --all say otherwise


# --- results ------------------------------------------------------------------

@dataclass
class QueryResult:
    """What a query returned.

    kind "select": `columns` and `rows` (tuples of rdflib terms, None where
    unbound). kind "ask": `boolean`. kind "graph" (CONSTRUCT, DESCRIBE):
    `graph`, and its triples as rows of (subject, predicate, object), sorted.
    A page (run_query with a limit): `offset` rows come before it, and `more`
    is True when rows follow it (the next page starts at `next_offset`),
    False when it is the last; None when the query was not paged. A named
    query pages by what its #page sub-selects pick (articles, agencies …):
    `next_offset` counts those, and a page can show more rows than that when
    one of them has two labels.
    """
    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    offset: int = 0
    more: bool | None = None
    next_offset: int | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def values(self) -> list[tuple]:
        """The rows with plain Python values: str for IRIs, int/Decimal/date … for literals."""
        return [tuple(_python(t) for t in row) for row in self.rows]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.values()]


def _python(term):
    if term is None:
        return None
    if isinstance(term, Literal):
        v = term.toPython()
        return v if not isinstance(v, Literal) else str(v)
    return str(term)


def run_query(store: Store, sparql: str, params: dict | None = None, *,
              limit: int | None = None, offset: int = 0) -> QueryResult:
    """Run `sparql` (with `params` bound, see bind_params) over the store's union graph.

    limit=None runs the query as written: a query with `#page` sub-selects (a
    named query) gives the page they set, run in two steps like any page;
    limit=0 gives every row; limit=N the N rows after the first `offset`, with
    `result.more` telling whether others follow (see the module docstring).
    """
    if params:
        sparql = bind_params(sparql, params)
    refuse_update(sparql)
    if limit is None:
        if page_marks(sparql):
            limit = page_size(sparql)
        elif offset:
            raise ValueError("an offset needs a limit (limit=0: every row from the offset on)")
        else:
            return _run(store, sparql)
    if limit < 0 or offset < 0:
        raise ValueError(f"limit and offset cannot be negative (got {limit}, {offset})")
    return _run_page(store, sparql, limit, offset)


def _run(store: Store, sparql: str) -> QueryResult:
    res = store.query(sparql)
    if res.type == "ASK":
        return QueryResult("ask", columns=["boolean"], rows=[(Literal(bool(res.askAnswer)),)],
                           boolean=bool(res.askAnswer))
    if res.type == "SELECT":
        names = list(res.vars or [])
        rows = [tuple(b.get(v) for v in names) for b in res.bindings]
        return QueryResult("select", columns=[str(v) for v in names], rows=rows)
    g = res.graph if res.graph is not None else Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return QueryResult("graph", columns=["subject", "predicate", "object"],
                       rows=sorted(g, key=lambda t: tuple(map(_sort_key, t))), graph=g)


_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def refuse_update(sparql: str) -> None:
    """Raise QueryError when `sparql` is a SPARQL Update: queries run read-only.

    The store would reject it anyway (a query parser cannot read an update),
    but with a parser message; this one says what happened.
    """
    toks = [t for t in tokenize(sparql) if t[0] not in ("ws", "comment")]
    i = 0
    while i + 1 < len(toks) and toks[i][0] == "word" and toks[i][1].upper() in ("PREFIX", "BASE"):
        i += 3 if toks[i][1].upper() == "PREFIX" else 2
    word = toks[i][1].upper() if i < len(toks) and toks[i][0] == "word" else ""
    if word in _UPDATE_WORDS:
        raise QueryError(f"{word} is a SPARQL Update and queries run read-only: use SELECT, ASK, "
                         "CONSTRUCT or DESCRIBE (kg build changes the store)")


def _sort_key(term) -> tuple:
    return (type(term).__name__, str(term))


# --- loading --------------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z0-9_][\w.-]*")


def list_queries(directory: Path = QUERIES_DIR) -> dict[str, str]:
    """Named queries: name -> description (the first comment line of NAME.rq)."""
    out = {}
    if directory.is_dir():
        for p in sorted(directory.glob("*.rq")):
            first = ""
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip().startswith("#"):
                    first = line.strip().lstrip("#").strip()
                    break
                if line.strip():
                    break
            out[p.stem] = first
    return out


def load_query(spec: str | Path, directory: Path = QUERIES_DIR) -> str:
    """The text of a query given as SPARQL text, a path to a .rq file, or the
    name of ontology/queries/NAME.rq; project prefixes it does not declare added.
    """
    if isinstance(spec, Path):
        return with_prefixes(_read(spec))
    s = spec.strip()
    if "\n" not in s and "{" not in s:
        named = directory / f"{s}.rq"
        if _NAME.fullmatch(s) and named.is_file():
            return with_prefixes(_read(named))
        if _is_file(s):
            return with_prefixes(_read(Path(s)))
        if s.endswith((".rq", ".sparql")):
            raise QueryError(f"no query file {s}")
        if _NAME.fullmatch(s):
            have = ", ".join(list_queries(directory)) or "none"
            raise QueryError(f"no named query {s!r} in {directory} (have: {have})")
    return with_prefixes(spec)


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):   # name too long, NUL byte …
        return False


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise QueryError(f"cannot read query {path}: {e.strerror or e}") from None


def declared_prefixes(sparql: str) -> set[str]:
    toks = [t for t in tokenize(sparql) if t[0] not in ("ws", "comment")]
    return {toks[i + 1][1][:-1] for i in range(len(toks) - 1)
            if toks[i][0] == "word" and toks[i][1].upper() == "PREFIX"
            and toks[i + 1][0] == "pname" and toks[i + 1][1].endswith(":")}


def with_prefixes(sparql: str) -> str:
    """`sparql` with PREFIX declarations for the project prefixes it does not
    declare. They go after its leading comment lines, on the line of its first
    statement, so line numbers in error messages still match the query as
    written."""
    have = declared_prefixes(sparql)
    missing = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in have]
    if not missing:
        return sparql
    lines = sparql.split("\n")
    i = 0
    while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
        i += 1
    if i == len(lines):
        lines.append("")
    lines[i] = " ".join(missing) + " " + lines[i]
    return "\n".join(lines)


# --- SPARQL tokens -------------------------------------------------------------

_TOKEN = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<pname>[\w.-]*:(?:[\w.:%-]|\\[^\s])*)
  | (?P<word>[\w-]+)
  | (?P<punct>.)
''', re.X | re.S)


def tokenize(sparql: str) -> list[tuple[str, str, int]]:
    """(kind, text, offset) tokens: enough SPARQL lexing to find variables,
    keywords and braces outside strings, IRIs and comments."""
    return [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(sparql)]


# --- parameters -----------------------------------------------------------------

_VARNAME = re.compile(r"[\w\u00B7\u0300-\u036F\u203F-\u2040]+")
_IRI_OK = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_LANG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
          "\b": "\\b", "\f": "\\f"}


def escape_string(text: str) -> str:
    """The body of a "…" SPARQL string literal holding exactly `text`.

    Quote, backslash and line breaks become escapes. SPARQL expands \\uXXXX
    everywhere before parsing (rdflib does; Oxigraph only inside strings), so
    a `u` or `U` right after an escaped backslash is itself written as a
    \\U0000XXXX escape: both readings then give back `text` unchanged.
    """
    out = []
    prev = ""
    for c in text:
        if c in _ECHAR:
            out.append(_ECHAR[c])
        elif c in "uU" and prev == "\\":
            out.append("\\U%08X" % ord(c))
        else:
            out.append(c)
        prev = c
    return "".join(out)


def _iri(text: str) -> str:
    if not text or not _IRI_OK.fullmatch(text):
        raise ValueError(f"not a usable IRI: {text!r}")
    return f"<{text}>"


def sparql_term(value) -> str:
    """`value` as a SPARQL term: rdflib URIRef/Literal as they are, str as a
    plain string, bool/int/float/Decimal/date as typed literals."""
    if isinstance(value, URIRef):
        return _iri(str(value))
    if isinstance(value, BNode):
        raise ValueError("a blank node cannot be a query parameter")
    if not isinstance(value, Literal):
        if isinstance(value, str):
            value = Literal(value)
        elif isinstance(value, (bool, int, float, Decimal, date, datetime)):
            value = Literal(value)
        else:
            raise ValueError(f"cannot use {type(value).__name__} {value!r} as a query parameter")
    body = '"' + escape_string(str(value)) + '"'
    if value.language:
        if not _LANG.fullmatch(value.language):
            raise ValueError(f"bad language tag {value.language!r}")
        return f"{body}@{value.language}"
    if value.datatype is not None and value.datatype != XSD.string:
        return f"{body}^^{_iri(str(value.datatype))}"
    return body


def parse_param(text: str) -> tuple[str, Node]:
    """'name=value' from the command line -> (name, term).

    <http://…> is an IRI, prefix:local with a project prefix (id:district/320509)
    is an IRI, anything else a plain string. "name=" binds the empty string.
    """
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VARNAME.fullmatch(name):
        raise ValueError(f"parameter {text!r} is not name=value")
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        _iri(value[1:-1])
        return name, URIRef(value[1:-1])
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        iri = str(PREFIXES[prefix]) + local
        _iri(iri)
        return name, URIRef(iri)
    return name, Literal(value)


def bind_params(sparql: str, params: dict) -> str:
    """`sparql` with every ?name (or $name) of `params` replaced by its value
    as a SPARQL term (sparql_term), as if the query had been written with it.

    Like SEP-0007 substitution, the value holds everywhere: in patterns,
    FILTERs, sub-selects, CONSTRUCT templates. Where the grammar wants a
    variable the value goes in an expression: `SELECT ?name` becomes
    `SELECT ("…" AS ?name)`, `GROUP BY ?name` / `ORDER BY ?name` become
    `(…)`; `SELECT *` no longer lists it. Raises ValueError when a name is not
    a variable of the query, or the query assigns it (`AS ?name`, VALUES).
    """
    if not params:
        return sparql
    for n in params:
        if not isinstance(n, str) or not _VARNAME.fullmatch(n):
            raise ValueError(f"bad parameter name {n!r}")
    terms = {n: sparql_term(v) for n, v in params.items()}

    toks = tokenize(sparql)
    used = {t[1][1:] for t in toks if t[0] == "var"}
    unknown = [n for n in terms if n not in used]
    if unknown:
        raise ValueError(f"the query has no variable {', '.join('?' + n for n in unknown)}")

    out: list[str] = []
    section = ""       # select | group | order | describe | values: where a bare ?var is syntax
    depth = 0          # parentheses since the section started
    prev = ""          # the previous significant token, upper-cased
    for kind, text, _ in toks:
        up = text.upper() if kind == "word" else text
        if kind == "word":
            if up in ("SELECT", "DESCRIBE"):
                section, depth = up.lower(), 0
            elif up == "BY" and prev in ("GROUP", "ORDER"):
                section, depth = prev.lower(), 0
            elif up == "VALUES":
                section, depth = "values", 0
            elif up in ("WHERE", "FROM", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET",
                        "CONSTRUCT", "ASK"):
                section = ""
        elif kind == "punct":
            if text == "(":
                depth += 1
            elif text == ")":
                depth -= 1
            elif text == "}" or (text == "{" and section != "values"):
                section = ""
        if kind == "var" and text[1:] in terms:
            name, term = text[1:], terms[text[1:]]
            if prev == "AS" or section == "values":
                raise ValueError(f"the query assigns ?{name} itself; it cannot be a parameter")
            if section == "select" and depth == 0:
                text = f"({term} AS ?{name})"
            elif section in ("group", "order") and depth == 0:
                text = f"({term})"
            elif section == "describe" and not term.startswith("<"):
                raise ValueError(f"DESCRIBE ?{name} needs an IRI, not {term}")
            else:
                text = term
        out.append(text)
        if kind not in ("ws", "comment"):
            prev = up
    return "".join(out)


# --- pages ----------------------------------------------------------------------

_PAGE_MARK = re.compile(r"#\s*page\b", re.I)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass
class _Mark:
    """A sub-select `{ SELECT … LIMIT n [OFFSET m]  #page }`: character offsets
    of its braces (open, close inclusive) and of its LIMIT clause (start, end)."""
    open: int
    close: int
    clause: tuple[int, int]


def page_marks(sparql: str) -> list[_Mark]:
    """The sub-selects of `sparql` whose `LIMIT n [OFFSET m]` is followed by a `#page` comment."""
    toks = tokenize(sparql)
    sig = [i for i, t in enumerate(toks) if t[0] != "ws"]      # comments kept: the mark is one
    marks = []
    for n, i in enumerate(sig):
        if toks[i][0] != "word" or toks[i][1].upper() != "LIMIT":
            continue
        k = n + 1
        if not (k < len(sig) and toks[sig[k]][1].isdigit()):
            continue
        k += 1
        if k + 1 < len(sig) and toks[sig[k]][1].upper() == "OFFSET" and toks[sig[k + 1]][1].isdigit():
            k += 2
        if not (k < len(sig) and toks[sig[k]][0] == "comment" and _PAGE_MARK.match(toks[sig[k]][1])):
            continue
        last = toks[sig[k - 1]]
        open_, close = _brace(toks, i, -1), _brace(toks, i, 1)
        if open_ is None or close is None:
            raise QueryError("a `LIMIT n  #page` must end a sub-select { SELECT … }")
        marks.append(_Mark(open_, close, (toks[i][2], last[2] + len(last[1]))))
    return marks


def _brace(toks, i: int, step: int) -> int | None:
    """Offset of the brace around token i: the `{` before it (step -1) or the `}` after (+1)."""
    want, other = ("{", "}") if step < 0 else ("}", "{")
    depth, j = 0, i + step
    while 0 <= j < len(toks):
        kind, text, pos = toks[j]
        if kind == "punct" and text == want:
            if depth == 0:
                return pos
            depth -= 1
        elif kind == "punct" and text == other:
            depth += 1
        j += step
    return None


def _top_level(sparql: str) -> tuple[str, set[str]]:
    """(the query form, upper-cased words outside every brace) of `sparql`."""
    depth, words, form = 0, set(), ""
    for kind, text, _ in tokenize(sparql):
        if kind == "punct" and text in "{}":
            depth += 1 if text == "{" else -1
        elif kind == "word" and depth == 0:
            words.add(text.upper())
            if not form and text.upper() in _FORMS:
                form = text.upper()
    return form, words


def _slice(limit: int | None, offset: int) -> str:
    return " ".join(([f"LIMIT {limit}"] if limit is not None else []) + ([f"OFFSET {offset}"] if offset else []))


def page_size(sparql: str) -> int:
    """The rows a page of `sparql` holds by default: its `LIMIT n  #page`, else PAGE_SIZE."""
    marks = page_marks(sparql)
    if not marks:
        return PAGE_SIZE
    start, end = marks[0].clause
    return int(sparql[start:end].split()[1])


def page_query(sparql: str, limit: int, offset: int = 0) -> str:
    """`sparql` with its page set to `limit` rows (0: all) after `offset`, in one
    query: the `#page` LIMITs replaced, else LIMIT/OFFSET appended to a SELECT
    that has none. (run_query pages in two steps; this is the one-query form,
    what it runs for limit=0, and what to give a SPARQL endpoint.)"""
    marks = page_marks(sparql)
    if marks:
        out, last = [], 0
        for m in marks:
            out += [sparql[last:m.clause[0]], _slice(limit or None, offset)]
            last = m.clause[1]
        return "".join(out) + sparql[last:]
    form, words = _top_level(sparql)
    if form != "SELECT" or words & {"LIMIT", "OFFSET", "VALUES"}:
        return sparql
    return sparql.rstrip() + "\n" + _slice(limit or None, offset)


_VALUES_MAX = 10_000      # most rows limit=0 names in a VALUES block; past it, one query


def _run_page(store: Store, sparql: str, limit: int, offset: int) -> QueryResult:
    marks = page_marks(sparql)
    if not marks:
        form, words = _top_level(sparql)
        if form != "SELECT" or words & {"LIMIT", "OFFSET", "VALUES"}:
            return _run(store, sparql)                # its own LIMIT, or not rows: as written
        result = _run(store, page_query(sparql, limit + 1 if limit else 0, offset))
        result.offset, result.more = offset, bool(limit) and len(result.rows) > limit
        if limit:
            del result.rows[limit:]
        result.next_offset = offset + limit if result.more else None
        return result
    # step 1: the rows of the marked sub-selects, in the order written (limit=0: all of
    # them, up to _VALUES_MAX; past that, the query runs whole with no LIMIT on them)
    head = sparql[:_form_start(sparql)]
    want = limit + 1 if limit else _VALUES_MAX + 1
    picked = []                                       # (mark, columns, rows)
    for m in marks:
        sub = sparql[m.open + 1:m.clause[0]] + _slice(want, offset) + sparql[m.clause[1]:m.close]
        r = _run(store, head + sub)                   # a sub-select is a query by itself
        picked.append((m, r.columns, r.rows))
    total = sum(len(rows) for _, _, rows in picked)
    if not limit and total > _VALUES_MAX:
        result = _run(store, page_query(sparql, 0, offset))
        result.offset, result.more = offset, False
        return result
    left = limit or total
    more = bool(limit) and total > limit
    # step 2: the query with each marked sub-select replaced by its share of the page
    out, last = [], 0
    for m, cols, rows in picked:
        share, left = rows[:left], left - len(rows[:left])
        # no rows: FILTER(!true), which Oxigraph drops with its UNION branch (an empty
        # VALUES block it plans around; rdflib fails on one, and ignores FILTER(false))
        out += [sparql[last:m.open], "{ ", _values(cols, share) if share else "FILTER(!true)", " }"]
        last = m.close + 1
    result = _run(store, "".join(out) + sparql[last:])
    result.offset, result.more = offset, more
    result.next_offset = offset + limit if more else None
    return result


def _form_start(sparql: str) -> int:
    """Where the query form (SELECT, ASK …) starts: what is before is the prologue."""
    depth = 0
    for kind, text, pos in tokenize(sparql):
        if kind == "punct" and text in "{}":
            depth += 1 if text == "{" else -1
        elif kind == "word" and depth == 0 and text.upper() in _FORMS:
            return pos
    return 0


def _values(columns: list[str], rows: list[tuple]) -> str:
    """A VALUES block holding `rows` (None: UNDEF)."""
    if not columns:                                   # SELECT * of nothing: as many empty rows
        return "VALUES () { " + "() " * len(rows) + "}"
    def term(t):
        if t is None:
            return "UNDEF"
        if isinstance(t, BNode):
            raise QueryError("a #page sub-select cannot return blank nodes (they cannot be "
                             "named in a second query): select IRIs or literals")
        return sparql_term(t)
    body = " ".join("(" + " ".join(term(t) for t in row) + ")" for row in rows)
    return f"VALUES ({' '.join('?' + c for c in columns)}) {{ {body} }}"


# --- formatting -----------------------------------------------------------------

_NS = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def compact(term) -> str:
    """A short readable form: id:district/320509, kg:Agency, literal text as is."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        for ns, p in _NS:
            if s.startswith(ns) and len(s) > len(ns):
                return f"{p}:{s[len(ns):]}"
        return f"<{s}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def display_width(text: str) -> int:
    """Terminal columns `text` takes: CJK wide/fullwidth 2, combining marks 0."""
    w = 0
    for c in text:
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return w


def _fit(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, w = [], 0
    for c in text:
        cw = display_width(c)
        if w + cw > width - 1:
            break
        out.append(c)
        w += cw
    return "".join(out) + "…"


def _cell(term, max_width: int) -> str:
    text = compact(term)
    text = text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵").replace("\t", " ")
    text = "".join(c if c >= " " else "�" for c in text)
    return _fit(text, max_width)


def _numeric(term) -> bool:
    return isinstance(term, Literal) and isinstance(term.toPython(), (int, float, Decimal)) \
        and not isinstance(term.toPython(), bool)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def format_table(result: QueryResult, max_width: int = 60) -> str:
    """An aligned text table (CJK counted double width); numbers right-aligned."""
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    cols = result.columns
    cells = [[_cell(t, max_width) for t in row] for row in result.rows]
    header = [_fit(c, max_width) for c in cols]
    widths = [max([display_width(header[i])] + [display_width(r[i]) for r in cells])
              for i in range(len(cols))]
    right = [bool(result.rows) and all(row[i] is None or _numeric(row[i]) for row in result.rows)
             and any(row[i] is not None for row in result.rows) for i in range(len(cols))]
    lines = ["  ".join(_pad(h, w, r) for h, w, r in zip(header, widths, right)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in cells:
        lines.append("  ".join(_pad(c, w, rt) for c, w, rt in zip(r, widths, right)).rstrip())
    lines.append(f"({page_note(result)})")
    return "\n".join(lines)


def page_note(result: QueryResult) -> str:
    """'37 rows', or for a page '100 rows shown; more with --offset 100 or --all'."""
    n = len(result.rows)
    noun = "triple" if result.kind == "graph" else "row"
    text = f"{n} {noun}{'' if n == 1 else 's'}"
    if result.more is None or (not result.more and not result.offset):
        return text
    text += " shown" + (f" from --offset {result.offset}" if result.offset else "")
    if result.more:
        return text + f"; more with --offset {result.next_offset} or --all"
    return text + "; no more"


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def format_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: full IRIs, literal text, empty when unbound."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(result.columns)
    for row in result.rows:
        w.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    d = {"type": "literal", "value": str(term)}
    if term.language:
        d["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        d["datatype"] = str(term.datatype)
    return d


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 JSON results (SELECT, ASK); JSON-LD for a graph."""
    if result.kind == "graph":
        return result.graph.serialize(format="json-ld", indent=2)
    if result.kind == "ask":
        doc = {"head": {}, "boolean": bool(result.boolean)}
    else:
        doc = {"head": {"vars": result.columns},
               "results": {"bindings": [
                   {c: _json_term(t) for c, t in zip(result.columns, row) if t is not None}
                   for row in result.rows]}}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    try:
        return {"table": format_table, "csv": format_csv, "json": format_json}[fmt](result)
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r} (use {', '.join(OUTPUT_FORMATS)})") from None
