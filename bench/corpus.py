"""A realistic synthetic corpus for the scale benchmark, made from the seeds.

    python bench/corpus.py --n 1000 --dir /tmp/corpus-1000 [--seed 1]

Every article recombines real paragraphs of the seed articles (seeds/) around
a new home district drawn from the national division table
(kg.gazetteer.gazetteer()): the seed's county, city, province, towns and
villages become the new district's (full and short names, so 吴江区人社局
becomes 岳麓区人社局 and 乐业吴江 becomes 乐业岳麓), the other places it
names become other real places of the same level, companies and people get
new names, and the numbers new values (years move by a year or two, dates
stay valid). A base seed gives the structure (its paragraphs in order, some
dropped) and paragraphs of other seeds are mixed in. The files come in the
three shapes the reader handles, in proportion: markdown with YAML front
matter (.md), plain text scraped from a site with its chrome (.txt, one in
twenty in GB18030), and whole HTML pages (.html). The same --seed gives the
same corpus.
"""
from __future__ import annotations

import argparse
import html
import random
import re
from dataclasses import dataclass
from pathlib import Path

from kg.articles import iter_article_paths, read_article
from kg.gazetteer import gazetteer
from kg.pipeline import extract_article

ROOT = Path(__file__).resolve().parent.parent
LEVEL_OF = {"province": "province", "city": "city", "county": "county", "town": "town",
            "village": "village"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏晨欣怡佳琪雪梅丹彤昊天宁远海波国庆振东晓燕"
CORES = ("恒达 华信 鑫源 宏业 瑞丰 永盛 金诚 中联 天润 博远 新锐 汇通 东方 长城 正泰 隆基 海纳 远航 "
         "德胜 嘉禾 盛世 万通 利民 安泰 同创 富民 科达 佳美 腾飞 和顺").split()
TRADES = ("食品 纺织 电子 机械 物流 餐饮管理 建材 医药 服饰 化工 汽车零部件 农业科技 "
          "信息技术 家政服务 人力资源服务 新材料 光电 包装 酒店管理 电气").split()
ORG_FORMS = ("有限公司", "股份有限公司", "集团有限公司", "科技有限公司")
OUTLETS = ("日报", "晚报", "融媒体中心", "人民政府网", "人社局")
_NUMBER = re.compile(r"(?<![\dA-Za-z.])(\d+(?:\.\d+)?)(?![\d.])(?!\s*[月日号时])")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass
class Seed:
    title: str
    paragraphs: list[str]
    places: dict[str, list[tuple[str, list[str]]]]   # level -> [(name, aliases)]
    home: str | None                                   # the county-level name the seed is about
    enterprises: list[str]
    people: list[str]


def load_seeds(folder: Path = ROOT / "seeds") -> list[Seed]:
    seeds = []
    for path in iter_article_paths([folder]):
        art = read_article(path)
        res = extract_article(art)
        paras = [art.text[s:e].strip() for s, e in art.paragraphs]
        if art.title and paras and paras[0] == art.title:
            paras = paras[1:]
        places: dict[str, list] = {}
        for e in res.entities:
            if e.type == "District" and e.attrs.get("level") in LEVEL_OF:
                places.setdefault(e.attrs["level"], []).append((e.name, sorted(e.aliases - {e.name})))
        counties = places.get("county", [])
        seeds.append(Seed(art.title or paras[0][:30], [p for p in paras if p],
                          places, counties[0][0] if counties else None,
                          [e.name for e in res.entities if e.type == "Enterprise"],
                          [e.name for e in res.entities if e.type == "Person"]))
    return seeds


class Places:
    """Real divisions of the gazetteer, by level, to draw new places from."""

    def __init__(self, rng: random.Random):
        g = gazetteer()
        self.rng = rng
        self.by_level: dict[str, list] = {}
        for d in g.divisions:
            if d.level in ("province", "city", "county") and d.code:
                self.by_level.setdefault(d.level, []).append(d)
        # counties with towns, so a seed's town has somewhere to go
        self.homes = [c for c in self.by_level["county"]
                      if any(getattr(t, "level", "") == "town" for t in c.children)
                      and c.parent is not None and c.parent.parent is not None]

    def pick(self, level: str):
        return self.rng.choice(self.by_level[level])


def _short(d) -> str:
    return d.short or d.name


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _company(rng: random.Random, city) -> str:
    return _short(city) + rng.choice(CORES) + rng.choice(TRADES) + rng.choice(ORG_FORMS)


def substitution(seed: Seed, home, places: Places, rng: random.Random) -> dict[str, str]:
    """surface in the seed -> what the new article says instead."""
    city, province = home.parent, home.parent.parent
    towns = [t for t in home.children if getattr(t, "level", "") == "town"]
    rng.shuffle(towns)
    sub: dict[str, str] = {}

    def put(name, aliases, new):
        sub[name] = new.name
        for a in aliases:
            sub.setdefault(a, _short(new))

    for level, found in seed.places.items():
        for i, (name, aliases) in enumerate(found):
            if level == "county":
                new = home if name == seed.home else places.pick("county")
            elif level == "city":
                new = city if i == 0 else places.pick("city")
            elif level == "province":
                new = province if i == 0 else places.pick("province")
            elif level == "town":
                new = towns[i % len(towns)] if towns else None
            else:                                   # village: one of the new town's, if any
                vs = towns[0].villages() if towns else []
                new = rng.choice(vs) if vs else None
            if new is not None:
                put(name, aliases, new)
    for e in seed.enterprises:
        sub[e] = _company(rng, city)
    for p in seed.people:
        sub[p] = _person(rng)
    return sub


def apply(text: str, sub: dict[str, str], rng: random.Random, year_shift: int) -> str:
    if sub:
        pattern = re.compile("|".join(re.escape(k) for k in sorted(sub, key=len, reverse=True)))
        text = pattern.sub(lambda m: sub[m.group()], text)

    def number(m):
        raw = m.group(1)
        if _YEAR.match(raw):
            return str(min(2025, int(raw) + year_shift))
        if "." in raw:
            places_ = len(raw.split(".")[1])
            return f"{float(raw) * rng.uniform(0.5, 1.6):.{places_}f}"
        if len(raw) == 1:
            return str(rng.randint(1, 9))
        return str(max(1, int(int(raw) * rng.uniform(0.5, 1.6))))
    return _NUMBER.sub(number, text)


def make_article(i: int, seeds: list[Seed], places: Places, rng: random.Random) -> tuple[str, str, bytes]:
    """(file name, shape, bytes) of synthetic article i."""
    home = rng.choice(places.homes)
    base = rng.choice(seeds)
    year_shift = rng.randint(-2, 2)
    subs = {id(s): substitution(s, home, places, rng) for s in seeds}
    paras = [p for p in base.paragraphs if rng.random() < 0.85] or base.paragraphs[:3]
    for _ in range(rng.randint(0, 3)):              # mix in paragraphs of other seeds
        other = rng.choice(seeds)
        paras.insert(rng.randint(0, len(paras)), rng.choice(other.paragraphs))
    body = [apply(p, subs[id(s)], rng, year_shift)
            for p, s in ((p, next(s for s in seeds if p in s.paragraphs)) for p in paras)]
    title = apply(base.title, subs[id(base)], rng, year_shift)
    date = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    city = home.parent
    outlet = _short(city) + rng.choice(OUTLETS) if rng.random() < 0.6 else home.name + rng.choice(OUTLETS)
    shape = rng.choices(("markdown", "plain", "html"), weights=(4, 4, 2))[0]
    stem = f"{i:06d}_{rng.getrandbits(40):010x}"
    if shape == "markdown":
        if rng.random() < 0.5:
            text = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in body)
        else:
            text = "\n\n".join(body)
        doc = (f"---\nlayout: post\ntitle: \"{title}\"\ndate: {date} {rng.randint(7, 21):02d}:"
               f"{rng.randint(0, 59):02d}:00 +0800\nauthor: {outlet}\ncategories: news\n---\n{text}\n")
        return stem + ".md", shape, doc.encode("utf-8")
    if shape == "plain":
        doc = (f"首页 > 本区动态 > 正文\n{title}\n来源: {outlet}       发布时间:{date} "
               f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}\n\n"
               + "".join(f"  {p}\n\n" for p in body)
               + f"【打印本页】 【关闭窗口】\n{home.name}人民政府 版权所有\n")
        enc = "gb18030" if rng.random() < 0.05 else "utf-8"
        return stem + ".txt", shape, doc.encode(enc, errors="replace")
    ps = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in body)
    doc = (f"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
           f"<title>{html.escape(title)}_{html.escape(outlet)}</title>\n"
           f"<meta name=\"publishdate\" content=\"{date}\">\n<meta name=\"source\" content=\"{html.escape(outlet)}\">\n"
           f"</head><body><div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/xw\">新闻动态</a></div>\n"
           f"<div class=\"article\"><h1>{html.escape(title)}</h1>\n<div class=\"info\">来源：{html.escape(outlet)} "
           f"发布时间：{date}</div>\n{ps}\n</div>\n<div class=\"footer\">{html.escape(home.name)}人民政府 "
           f"主办</div></body></html>\n")
    return stem + ".html", shape, doc.encode("utf-8")


def write_corpus(n: int, folder: Path, seed: int = 1) -> dict:
    """Write n articles into folder (made fresh); returns counts by shape and total bytes."""
    rng = random.Random(seed)
    seeds = load_seeds()
    places = Places(rng)
    folder.mkdir(parents=True, exist_ok=True)
    stats = {"markdown": 0, "plain": 0, "html": 0, "bytes": 0}
    for i in range(n):
        name, shape, data = make_article(i, seeds, places, rng)
        (folder / name).write_bytes(data)
        stats[shape] += 1
        stats["bytes"] += len(data)
    return stats


def extra_article(folder: Path, seed: int = 999_999) -> Path:
    """One more article (a different random draw) written into folder: for timing an addition."""
    rng = random.Random(seed)
    name, _, data = make_article(seed, load_seeds(), Places(rng), rng)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(write_corpus(args.n, Path(args.dir), args.seed))


if __name__ == "__main__":
    main()
