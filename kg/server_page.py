"""The query page `kg serve` shows at /: a form, the result, the named queries.

Rendered on the server, no script and no CDN: the form GETs /?query=…, a named
query's link GETs /?name=NAME, which fills the textarea. Every value shown
goes through html.escape (article text may hold <script>), and the page is
sent with a Content-Security-Policy that allows no script at all from anywhere.
"""
from __future__ import annotations

import json
import urllib.parse
from html import escape

STYLE = """
body{font:14px/1.45 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;display:flex}
nav{width:19em;padding:1em;background:#f4f4f2;min-height:100vh;box-sizing:border-box}
nav a{display:block;margin:.15em 0 .6em;text-decoration:none;color:#14507a}
nav small{display:block;color:#555}
main{flex:1;padding:1em 1.5em;min-width:0}
textarea{width:100%;height:14em;font:13px/1.4 ui-monospace,monospace;box-sizing:border-box}
table{border-collapse:collapse;margin-top:1em}
td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;text-align:left}
th{background:#eee}.err{color:#a00;white-space:pre-wrap}pre{white-space:pre-wrap}
"""


def _cell(term: dict | None) -> str:
    if term is None:
        return "<td></td>"
    text = escape(term.get("value", ""))
    if term.get("type") == "uri":
        return f'<td><span title="{text}">{text}</span></td>'
    return f"<td>{text}</td>"


def _result_html(result: tuple | None) -> str:
    """A ("ok", content type, text) or ("error", status, message) reply as HTML."""
    if result is None:
        return ""
    if result[0] != "ok":
        return f'<p class="err">{escape(str(result[1]))}: {escape(result[2])}</p>'
    ctype, text = result[1], result[2]
    if not ctype.startswith("application/sparql-results+json"):
        return f"<pre>{escape(text)}</pre>"
    doc = json.loads(text)
    if "boolean" in doc:
        return f"<p>ASK: <b>{'true' if doc['boolean'] else 'false'}</b></p>"
    names = doc["head"]["vars"]
    rows = doc["results"]["bindings"]
    head = "".join(f"<th>{escape(n)}</th>" for n in names)
    body = "".join("<tr>" + "".join(_cell(b.get(n)) for n in names) + "</tr>" for b in rows)
    return f"<p>{len(rows)} row{'' if len(rows) == 1 else 's'}</p><table><tr>{head}</tr>{body}</table>"


def render_page(sparql: str, questions: dict[str, str], result: tuple | None) -> str:
    """The whole page: named queries (name -> question) at the side, the form, the result."""
    links = "".join(
        f'<a href="/?name={urllib.parse.quote(n)}">{escape(n)}<small>{escape(q)}</small></a>'
        for n, q in questions.items())
    example = "SELECT ?name ?code WHERE { ?d a kg:District ; rdfs:label ?name ; kg:adminCode ?code }"
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>jiuye-kg SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>
<body><nav><b>Named queries 命名查询</b>{links}</nav>
<main><h1>jiuye-kg SPARQL</h1>
<p>Endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol, read-only). Project prefixes (kg:, id:, rdfs:, skos:, xsd: …)
need no PREFIX lines.</p>
<form method="get" action="/"><textarea name="query" placeholder="{escape(example)}">{escape(sparql)}</textarea>
<p><button type="submit">Run 运行</button></p></form>
{_result_html(result)}
</main></body></html>
"""
