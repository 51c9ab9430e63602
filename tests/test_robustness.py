"""Bad input, interrupted builds and hostile content: nothing lost, nothing let in.

Every bad file here is made by the test itself; docs/reliability.md lists the
cases with what happens and the test that shows it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import SEEDS
from rdflib import Dataset

from kg import build as build_mod
from kg.articles import ArticleError, Limits, read_article
from kg.build import build
from kg.explorer import write_explorer
from kg.export import export
from kg.graph import article_graph
from kg.pipeline import extract_article
from kg.queries import run_query
from kg.store import QueryError, open_store, to_ox

from helpers import SONGJIANG_ARTICLE
from test_store import make_result

SEED = sorted(SEEDS.glob("*.txt"))

ARTICLE = SONGJIANG_ARTICLE
TRADITIONAL = """松江區舉辦春風行動專場招聘會
2023年02月10日09:30
來源：松江報
2月9日，松江區人社局在新橋鎮舉辦春風行動專場招聘會，一百二十家企業提供崗位三千餘個。
現場求職者絡繹不絕！許多高校畢業生表示，這次招聘會崗位多、待遇好。
"""
HINT = re.compile(r"remove|convert|split|rename|check|give|raise|report")


def kg(*args, **kw):
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, **kw)


# ---------------------------------------------------------------- a corpus of bad input

def make_bad_corpus(folder: Path) -> dict[str, str]:
    """Write one file per bad case into `folder`; returns name -> expected outcome
    ("read", "duplicate", or the phrase its skip message must hold)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, str] = {}

    def put(name, data, outcome):
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        cases[name] = outcome

    put("a_good.txt", SEED[4].read_bytes(), "read")
    put("b_copy_of_good.txt", SEED[4].read_bytes(), "duplicate")
    put("empty.txt", b"", "empty file")
    put("blank.txt", b" \n\t\r\n", "empty file")
    put("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary")
    put("gbk.txt", ARTICLE.encode("gbk"), "read")
    put("gb18030.txt", (ARTICLE + "𠀀字也在。\n").encode("gb18030"), "read")
    put("big5.txt", TRADITIONAL.encode("big5"), "read")
    put("utf16.txt", ARTICLE.encode("utf-16"), "read")
    put("utf8bom.txt", ARTICLE.encode("utf-8-sig"), "read")
    lines = ARTICLE.replace("松江区", "奉贤区").split("\n")
    put("mixed_endings.txt", lines[0] + "\r\n" + lines[1] + "\r" + "\n".join(lines[2:4]) + "\r\n"
        + "\r".join(lines[4:]), "read")
    put("broken_yaml.md", "---\ntitle: 稳就业: 甘州区[在行动\n  bad: indent: here\ndate: [2022\n---\n"
        "<p>甘州区深入实施就业优先战略，新增岗位一千个。</p>\n", "read")
    put("truncated.html", "<html><head><title>嘉定区招聘会</title></head><body><div><p>嘉定区人社局"
        "举办招聘会，提供岗位五百个。</p><p>现场签约一百二十人</p><div><span cla", "read")
    put("nested.html", "<html><body>" + "<div>" * 10_000 + "<p>金山区举办招聘会，提供岗位八百个。</p>"
        + "</div>" * 10_000 + "</body></html>", "read")
    put("unclosed_nest.htm", "<body>" + "<div><b>" * 5_000 + "<p>青浦区就业服务站开展直播带岗。", "read")
    put("english.txt", "Public employment services report.\nNo Chinese here at all.\n", "no Chinese text")
    with open(folder / "giant.txt", "wb") as f:      # 50 MB of real text
        block = (ARTICLE * 50).encode("utf-8")
        while f.tell() < 50_000_000:
            f.write(block)
    cases["giant.txt"] = "over the limit"
    os.mkfifo(folder / "pipe.txt")
    cases["pipe.txt"] = "named pipe"
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    cases["dangling.txt"] = "cannot read"
    put("vanishes.txt", ARTICLE.replace("松江", "闵行"), "cannot read")   # deleted after listing
    return cases


def vanish(name):
    """A progress hook (build's `progress`) that deletes `name` after listing."""
    def hook(files):
        for p in files:
            if p.name == name:
                p.unlink()
        return files
    return hook


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad") / "corpus"
    cases = make_bad_corpus(folder)
    store = open_store("oxigraph:")
    report = build(folder, store, progress=vanish("vanishes.txt"))
    yield folder, cases, report, store
    store.close()


def test_every_bad_file_is_reported_once_and_the_rest_is_read(bad_build):
    folder, cases, report, store = bad_build
    skipped = {Path(p).name: why for p, why in report.skipped}
    dupes = {name for name, _ in report.duplicates}
    read = {n for n, o in cases.items() if o == "read"}
    assert set(skipped) == {n for n, o in cases.items() if o not in ("read", "duplicate")}
    assert dupes == {n for n, o in cases.items() if o == "duplicate"}
    assert report.read == len(read)
    stored = set(store.article_hashes())
    assert stored == read


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt", "binary.txt", "english.txt", "giant.txt",
                                  "pipe.txt", "dangling.txt", "vanishes.txt"])
def test_skip_message_is_one_line_naming_the_file_and_what_to_do(bad_build, name):
    folder, cases, report, _ = bad_build
    why = dict((Path(p).name, w) for p, w in report.skipped)[name]
    assert "\n" not in why
    assert why.startswith(str(folder / name) + ":")
    assert cases[name] in why
    assert HINT.search(why), why


def test_every_encoding_reads_to_the_same_text(bad_build):
    folder, *_ = bad_build
    want = read_article(folder / "utf8bom.txt").text
    for name, enc in [("gbk.txt", "gb18030"), ("utf16.txt", "utf-16"), ("utf8bom.txt", "utf-8-sig")]:
        a = read_article(folder / name)
        assert (a.text, a.encoding) == (want, enc)
    assert "𠀀字也在" in read_article(folder / "gb18030.txt").text
    assert read_article(folder / "big5.txt").text.startswith("松江區舉辦春風行動")


def test_markup_edge_cases_keep_their_text(bad_build):
    folder, *_ = bad_build
    assert "甘州区深入实施就业优先战略" in read_article(folder / "broken_yaml.md").text
    truncated = read_article(folder / "truncated.html").text
    assert "提供岗位五百个" in truncated and "现场签约一百二十人" in truncated
    assert read_article(folder / "nested.html").text.endswith("金山区举办招聘会，提供岗位八百个。")
    assert "直播带岗" in read_article(folder / "unclosed_nest.htm").text
    mixed = read_article(folder / "mixed_endings.txt")
    assert "\r" not in mixed.text and mixed.published == "2023-02-10"


def test_giant_file_is_refused_without_reading_it(bad_build):
    folder, *_ = bad_build
    with pytest.raises(ArticleError, match=r"50\.\d MB, over the limit of 5 MB.*--max-size"):
        read_article(folder / "giant.txt")


def test_a_long_text_is_refused_before_extraction(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(ARTICLE * 800, encoding="utf-8")     # ~100 KB, 84 000 characters
    with pytest.raises(ArticleError, match=r"characters, over the limit of 50,000.*--max-chars"):
        read_article(path, Limits(max_chars=50_000))


def test_text_limit_is_configurable(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert read_article(path, Limits(max_chars=len(ARTICLE))).title
    with pytest.raises(ArticleError, match="over the limit of 20"):
        read_article(path, Limits(max_chars=20))
    with pytest.raises(ArticleError, match="over the limit of 0.0001 MB"):
        read_article(path, Limits(max_bytes=100))


def test_a_folder_named_like_an_article_is_refused(tmp_path):
    (tmp_path / "x.txt").mkdir()
    with pytest.raises(ArticleError, match="it is a folder"):
        read_article(tmp_path / "x.txt")


def test_a_reader_bug_skips_the_file_and_the_build_goes_on(tmp_path, monkeypatch):
    for p in SEED[:2]:
        shutil.copy(p, tmp_path)
    real = build_mod.read_article

    def buggy(path, limits):
        if path.name == SEED[0].name:
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, limits)
    monkeypatch.setattr(build_mod, "read_article", buggy)
    with open_store("memory:") as store:
        report = build(tmp_path, store)
        assert report.read == 1 and list(store.article_hashes()) == [SEED[1].name]
    (path, why), = report.skipped
    assert "reading failed (RecursionError" in why and "report it" in why and "\n" not in why


def test_kg_build_summary_lists_skips_and_strict_fails(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED[4], folder)
    (folder / "empty.txt").write_bytes(b"")
    os.mkfifo(folder / "pipe.txt")
    (folder / "gbk.txt").write_bytes(ARTICLE.encode("gbk"))
    run = kg("build", str(folder), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    assert "articles read: 2" in run.stdout and "skipped: 2" in run.stdout
    assert f"{folder / 'empty.txt'}: empty file" in run.stdout
    assert f"{folder / 'pipe.txt'}: cannot read the file: it is a named pipe" in run.stdout
    strict = kg("build", str(folder), "--out", str(tmp_path / "out"), "--strict", "--max-size", "0.004")
    assert strict.returncode == 1
    assert "skipped: 3" in strict.stdout and "over the limit of 0.004 MB" in strict.stdout
    assert "3 file(s) skipped (--strict)" in strict.stderr


# ---------------------------------------------------------------- duplicates

@pytest.mark.parametrize("spec", ["memory:", "oxigraph:"])
def test_same_content_under_a_new_name_in_a_later_build_is_not_stored_again(tmp_path, spec):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    shutil.copy(SEED[2], tmp_path / "one")
    shutil.copy(SEED[2], tmp_path / "two" / "renamed.txt")
    with open_store(spec) as store:
        build(tmp_path / "one", store)
        before = set(store.quads())
        report = build(tmp_path / "two", store)
        assert report.duplicates == [("renamed.txt", SEED[2].name)]
        assert report.read == 0 and set(store.quads()) == before


def test_renamed_twin_of_a_changed_article_is_kept(tmp_path):
    """a.txt is stored; then a.txt changes and its old content comes back as
    0.txt (read first). 0.txt waits for a.txt: once a.txt is replaced, the old
    content is no longer stored and 0.txt is, so nothing is lost."""
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    old = SEED[1].read_bytes()
    (tmp_path / "v1" / "a.txt").write_bytes(old)
    (tmp_path / "v2" / "0.txt").write_bytes(old)
    (tmp_path / "v2" / "a.txt").write_bytes(SEED[3].read_bytes())
    with open_store("oxigraph:") as store:
        build(tmp_path / "v1", store)
        report = build(tmp_path / "v2", store)
        assert report.duplicates == [] and report.read == 2 and report.replaced == 1
        hashes = store.article_hashes()
    assert set(hashes) == {"0.txt", "a.txt"}
    assert hashes["0.txt"] == read_article(tmp_path / "v2" / "0.txt").content_hash


def test_two_files_with_one_name_are_not_merged_silently(tmp_path):
    for sub, seed in (("a", SEED[0]), ("b", SEED[1])):
        (tmp_path / sub).mkdir()
        shutil.copy(seed, tmp_path / sub / "same.txt")
    with open_store("memory:") as store:
        report = build([tmp_path / "a", tmp_path / "b"], store)
        assert store.article_hashes() == {"same.txt": read_article(tmp_path / "a" / "same.txt").content_hash}
    (path, why), = report.skipped
    assert path == str(tmp_path / "b" / "same.txt")
    assert "another file named same.txt" in why and "rename one" in why


# ---------------------------------------------------------------- interrupted builds

def make_corpus(folder: Path, n: int = 30) -> Path:
    """n distinct articles made from the seeds (each gets one more sentence)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        seed = SEED[i % len(SEED)]
        text = seed.read_text(encoding="utf-8") + f"\n第{i + 1}场招聘会提供岗位{100 + i}个。\n"
        (folder / f"{i:02d}_{seed.name}").write_text(text, encoding="utf-8")
    return folder


def run_and_kill(args: list[str], when: tuple[str, float]) -> bool:
    """Run `python -m kg build ARGS` with its progress bar on a pseudo-terminal
    and kill -9 it: ("time", s) s seconds after the start, ("articles", k) once
    the bar shows k articles done, ("after", s) s seconds after the last
    article. False when the build finished first."""
    import fcntl
    import select
    import struct
    import termios
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))   # tqdm needs a width
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    kind, at = when
    start, last_done, buf = time.monotonic(), None, b""
    try:
        while proc.poll() is None:
            if select.select([master], [], [], 0.01)[0]:
                try:
                    buf = (buf + os.read(master, 65536))[-4096:]
                except OSError:
                    pass
            done = [(int(a), int(b)) for a, b in re.findall(rb"\| *(\d+)/(\d+) \[", buf)]
            k, total = done[-1] if done else (0, 1)
            if k == total and last_done is None:
                last_done = time.monotonic()
            now = time.monotonic()
            if ((kind == "time" and now - start >= at) or (kind == "articles" and k >= at)
                    or (kind == "after" and last_done is not None and now - last_done >= at)):
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return True
        return False
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def store_quads(path: Path) -> set[ox.Quad]:
    """Every quad of the on-disk store (opened read-write: that replays its log)."""
    import gc
    s = ox.Store(str(path))
    quads = set(s)
    del s
    gc.collect()          # pyoxigraph has no close(): the lock goes with the object
    return quads


def triple(q) -> ox.Triple:
    return ox.Triple(q.subject, q.predicate, q.object)


def by_graph(quads) -> dict:
    out: dict = {}
    for q in quads:
        out.setdefault(q.graph_name, set()).add(triple(q))
    return out


def check_store(quads, reference) -> None:
    """Each article graph complete (as a clean build has it); the merged default
    graph exactly the union of the article graphs."""
    graphs, ref = by_graph(quads), by_graph(reference)
    default = graphs.pop(ox.DefaultGraph(), set())
    for g, triples in graphs.items():
        assert triples == ref[g], f"article graph {g} is not the clean build's"
    assert default == set().union(*graphs.values())


def check_exports(out: Path, before: dict[str, bytes | None], quads) -> None:
    """Each export is the one before the run or a whole new one matching the store."""
    named = {q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    for name, old in before.items():
        path = out / name
        if not path.exists():
            assert old is None, f"{name} vanished"
            continue
        data = path.read_bytes()
        if data == old:
            continue
        if name == "graph.ttl":
            assert {triple(q) for q in ox.parse(data, ox.RdfFormat.TURTLE)} == {triple(q) for q in named}
        elif name == "graph.trig":
            assert set(ox.parse(data, ox.RdfFormat.TRIG)) == named
        else:
            assert data.rstrip().endswith(b"</html>")


KILL_POINTS = [("time", 0.8), ("articles", 1), ("articles", 12), ("after", 0.0), ("after", 0.3),
               ("after", 0.8)]


def test_killed_builds_lose_nothing_and_the_next_build_finishes_the_job(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    ref_out, out = tmp_path / "ref", tmp_path / "out"
    clean = kg("build", str(corpus), "--out", str(ref_out), "-q")
    assert clean.returncode == 0, clean.stderr
    reference = store_quads(ref_out / "store")
    assert len(by_graph(reference)) == 31               # 30 articles and the merged graph
    killed = 0
    for when in KILL_POINTS:
        before = {n: (out / n).read_bytes() if (out / n).exists() else None
                  for n in ("graph.ttl", "graph.trig", "explorer.html")}
        killed += run_and_kill([str(corpus), "--out", str(out)], when)
        if (out / "store" / "CURRENT").exists():
            quads = store_quads(out / "store")
            check_store(quads, reference)
            check_exports(out, before, quads)
    assert killed >= 3                                  # the later points may come after the end
    final = kg("build", str(corpus), "--out", str(out), "-q")
    assert final.returncode == 0, final.stderr
    assert store_quads(out / "store") == reference
    assert (out / "graph.ttl").read_bytes() == (ref_out / "graph.ttl").read_bytes()
    assert set(ox.parse(path=str(out / "graph.trig"))) == set(ox.parse(path=str(ref_out / "graph.trig")))
    assert not list(out.glob(".*.tmp"))                 # temporaries of killed writers cleared


def test_stale_temporaries_of_dead_writers_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True)
    stale = tmp_path / f".graph.ttl.{dead.stdout.strip()}.abc123.tmp"
    live = tmp_path / f".graph.ttl.{os.getppid()}.xyz789.tmp"   # a running process's
    other = tmp_path / f".graph.trig.{dead.stdout.strip()}.abc123.tmp"
    for p in (stale, live, other):
        p.write_text("half")
    with open_store("oxigraph:") as store:
        export(store, tmp_path / "graph.ttl")
    assert not stale.exists() and live.exists() and other.exists()


# ---------------------------------------------------------------- hostile content

CONTROLS = "".join(map(chr, range(0x20)))
HOSTILE_NAMES = [
    'say "hi" \\ back\\slash \\u0022 \\U0001F600 """ \'\'\' ',
    "<script>alert(1)</script>就业局",
    "javascript:alert(document.cookie)人社局",
    '"><img src=x onerror=alert(1)>招聘会',
    f"控制{CONTROLS}字符",
    "\u202e局社人\u202c 与 \ufeff零宽 \ufffe\uffff 结尾",
    "} ; DROP ALL ; INSERT DATA { <a:b> <a:c> \"x\" } #",
    "@prefix x: <http://evil/> . x:a x:b x:c .",
]


def hostile_result(source_file: str = 'a "b"\\c\n.txt'):
    text = "。".join(HOSTILE_NAMES) + "。现场提供2756个岗位。"
    ents = [("Agency", n, f"Agency|{n}", {"role": n}) for n in HOSTILE_NAMES]
    result = make_result(source_file, text, ents, figures=[(2756, "个", "2756个")],
                         title=HOSTILE_NAMES[1] + HOSTILE_NAMES[4],
                         relations=[(f"Agency|{HOSTILE_NAMES[0]}", "partOf", f"Agency|{HOSTILE_NAMES[1]}")])
    result.article.url = "javascript:alert(1)//\"><script>"
    return result


HOSTILE_FILE = ("---\ntitle: \"<script>alert('标题')</script> \\\"引号\\\" 反斜杠\\\\\"\n"
                "url: javascript:alert(1)\nauthor: 王晓明\n---\n"
                "<p>松江区人社局举办“<script>alert(1)</script>”专场招聘会，提供岗位三千个。</p>\n"
                "<p>详见 javascript:alert(2) 与 <a href=\"javascript:alert(3)\">链接</a>。</p>\n"
                "<p>名称：《\"就业\\创业\"\u202e计划》于2023年启动，帮助\ufeff1200人就业。</p>\n")


def hostile_store(spec: str, tmp_path: Path):
    store = open_store(spec)
    store.put_article(*article_graph(hostile_result()))
    path = tmp_path / "hostile.md"
    path.write_text(HOSTILE_FILE, encoding="utf-8")
    store.put_article(*article_graph(extract_article(read_article(path))))
    return store


def as_ox(s, p, o, g=None) -> ox.Quad:
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g is not None else ox.DefaultGraph())


def canon(q: ox.Quad) -> ox.Quad:
    """xsd:decimal objects in canonical form: rdflib's Turtle/TriG writer prints
    2756 as 2756.0, the same value (nothing lost) in another lexical form."""
    o = q.object
    if isinstance(o, ox.Literal) and o.datatype.value.endswith("#decimal"):
        o = ox.Literal(str(Decimal(o.value).normalize()), datatype=o.datatype)
    return ox.Quad(q.subject, q.predicate, o, q.graph_name)


PARSE = {"ttl": (ox.RdfFormat.TURTLE, "turtle"), "nt": (ox.RdfFormat.N_TRIPLES, "nt"),
         "trig": (ox.RdfFormat.TRIG, "trig"), "nq": (ox.RdfFormat.N_QUADS, "nquads")}


@pytest.mark.parametrize("spec", ["oxigraph:", "memory:"])
@pytest.mark.parametrize("fmt", sorted(PARSE))
def test_hostile_text_round_trips_through_two_parsers(tmp_path, spec, fmt):
    with hostile_store(spec, tmp_path) as store:
        quads = {as_ox(*q) for q in store.quads()}
        path = export(store, tmp_path / f"graph.{fmt}", fmt)
    if fmt in ("ttl", "nt"):
        quads = {ox.Quad(q.subject, q.predicate, q.object) for q in quads}
    ox_fmt, rdflib_fmt = PARSE[fmt]
    by_oxigraph = set(ox.parse(path=str(path), format=ox_fmt))
    ds = Dataset()
    ds.parse(path, format=rdflib_fmt)
    by_rdflib = {as_ox(s, p, o, None if fmt in ("ttl", "nt") else g)
                 for s, p, o, g in ds.quads((None, None, None, None))}
    want = set(map(canon, quads))
    assert set(map(canon, by_oxigraph)) == want
    assert set(map(canon, by_rdflib)) == want
    if spec == "oxigraph:":                                      # Oxigraph writes them as stored
        assert by_oxigraph == quads
    labels = {q.object.value for q in quads if q.predicate.value.endswith("#label")}
    assert "<script>alert(1)</script>就业局" in labels
    assert any("\u202e局社人" in v for v in labels)
    titles = {q.object.value for q in quads if q.predicate.value.endswith("#title")}
    assert any(t.startswith("<script>alert('标题')</script> \"引号\" 反斜杠\\") for t in titles)


def test_control_characters_are_dropped_and_nothing_else(tmp_path):
    with hostile_store("oxigraph:", tmp_path) as store:
        labels = {str(o) for _, p, o, _ in store.quads() if str(p).endswith("#label")}
    assert "控制\t\n字符" in labels                    # tab and newline are text; other C0 controls go
    assert not any(c in v for v in labels for c in "\x00\x01\x1b\x1f\ufffe\uffff")


def test_explorer_shows_hostile_names_as_text(tmp_path):
    with hostile_store("oxigraph:", tmp_path) as store:
        page = write_explorer(store.dataset(), tmp_path / "explorer.html").read_text(encoding="utf-8")
    assert "就业局" in page or "\\u5c31\\u4e1a\\u5c40" in page       # the data is in the page …
    for raw in ("<script>alert", "<img src=x", "</script>就业局"):         # JSON has \u003c
        assert raw not in page                                   # … but never as markup
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", page, re.I)


# ---------------------------------------------------------------- queries cannot write

INJECTION = '"} ; DROP ALL ; INSERT DATA { <a:b> <a:c> "x" } #'


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    out = tmp_path_factory.mktemp("q")
    with open_store(out / "store") as store:
        build(SEED[3], store)
        store.put_article(*article_graph(hostile_result()))
    return out


def snapshot(out: Path) -> set:
    with open_store(out / "store", read_only=True) as store:
        return set(store.quads())


def test_a_parameter_cannot_change_the_store(built_store):
    before = snapshot(built_store)
    run = kg("query", "SELECT ?s WHERE { ?s rdfs:label ?name }", "--param", f"name={INJECTION}",
             "--out", str(built_store), "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "s"                             # no such label: no rows
    with open_store(built_store / "store") as store:             # even on a writable store
        assert len(run_query(store, "SELECT ?s WHERE { ?s rdfs:label ?name }", {"name": INJECTION})) == 0
        hostile = HOSTILE_NAMES[6]
        assert len(run_query(store, "SELECT ?s WHERE { ?s rdfs:label ?name }", {"name": hostile})) == 0
        found = run_query(store, "SELECT ?s WHERE { ?s rdfs:label ?name FILTER(STR(?name) = ?want) }",
                          {"want": hostile})
        assert len(found) == 1                                   # the value matched as text
    assert snapshot(built_store) == before


@pytest.mark.parametrize("update", [
    "DROP ALL",
    "CLEAR DEFAULT",
    'INSERT DATA { <http://a/b> <http://a/c> "x" }',
    "PREFIX x: <http://x/>\n# a comment\ndelete WHERE { ?s ?p ?o }",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/evil.ttl>",
])
def test_kg_query_refuses_updates(built_store, update):
    before = snapshot(built_store)
    run = kg("query", update, "--out", str(built_store))
    assert run.returncode == 2
    assert "SPARQL Update" in run.stderr and "read-only" in run.stderr
    assert run.stderr.count("\n") == 1
    assert snapshot(built_store) == before
    with open_store(built_store / "store") as store, pytest.raises(QueryError, match="read-only"):
        run_query(store, update)


# ---------------------------------------------------------------- kg serve under abuse

HEAVY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def get(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


@pytest.fixture(scope="module")
def served(built_store):
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--out", str(built_store), "--port", "0",
                             "--timeout", "1", "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+)/sparql", line)
        assert m, line
        yield m.group(1)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sparql_url(base: str, query: str) -> str:
    return f"{base}/sparql?" + urllib.parse.urlencode({"query": query})


def test_kg_serve_refuses_updates_and_keeps_the_store(served, built_store):
    for data, ctype in ((b"DROP ALL", "application/sparql-update"),
                        (urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(),
                         "application/x-www-form-urlencoded"),
                        (urllib.parse.urlencode({"query": INJECTION[2:]}).encode(),
                         "application/x-www-form-urlencoded")):
        status, body = get(f"{served}/sparql", data, {"Content-Type": ctype})
        assert status in (400, 403), (status, body)
    status, body = get(sparql_url(served, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
                       headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert n == len({(s, p, o) for s, p, o, _ in snapshot(built_store)})


def test_kg_serve_cuts_off_a_heavy_query_and_answers_the_next(served):
    status, body = get(sparql_url(served, HEAVY_QUERY))
    assert status == 503 and "time limit" in body
    status, _ = get(sparql_url(served, "ASK { ?s ?p ?o }"))
    assert status == 200


def test_kg_serve_survives_a_burst_of_clients(served):
    """200 requests from 20 threads at once: every one answered, and right."""
    queries = ["SELECT ?l WHERE { ?d a kg:District ; rdfs:label ?l } ORDER BY ?l",
               "ASK { ?s kg:contentHash ?h }",
               "SELECT (COUNT(*) AS ?n) WHERE { ?f a kg:Figure }"]
    expected = {q: get(sparql_url(served, q), headers={"Accept": "application/sparql-results+json"})
                for q in queries}
    assert all(status == 200 for status, _ in expected.values())

    def one(i):
        q = queries[i % len(queries)]
        return q, get(sparql_url(served, q), headers={"Accept": "application/sparql-results+json"})
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(one, range(200)))
    failed = [(q, status) for q, (status, body) in answers if (status, body) != expected[q]]
    assert failed == []
