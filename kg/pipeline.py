"""Article -> ArticleResult: the extractors in order, then resolution, then figures.

Like spaCy's pipeline of small components: each step reads the article and
what earlier steps found, and returns plain dataclasses. Nothing here touches
the store.
"""
from __future__ import annotations

from .extract.agencies import find_agencies
from .extract.districts import find_districts
from .extract.enterprises import find_enterprises
from .extract.figures import extract_figures
from .extract.groups import find_groups
from .extract.institutions import find_institutions
from .extract.people import credited_people, find_people
from .extract.policies import find_policies
from .extract.programs import find_programs, find_quoted_names
from .extract.publishers import find_publishers
from .model import Article, ArticleResult
from .resolve import Resolver


def _places_outside_names(places: list, orgs: list) -> list:
    """Drop a short place name that is part of an organisation's brand: inside
    the name, after its leading run of places and not in brackets (永兴 in
    杭州富阳永兴纸业有限公司 is no mention of 永兴县)."""
    keep = []
    for p in places:
        org = next((o for o in orgs if o.start <= p.start and p.end <= o.end), None)
        if org is None or p.text == p.name:
            keep.append(p)
            continue
        lead, prev = org.start, None
        for q in sorted(places, key=lambda q: q.start):   # 杭州 富阳: each inside the one before
            if q.start == lead and q.end <= org.end and (prev is None or _inside(q, prev)):
                lead, prev = q.end, q
        if p.start < lead or _in_brackets(p, org):
            keep.append(p)
    return keep


def _inside(place, outer) -> bool:
    d, o = place.attrs["place"].division, outer.attrs["place"].division
    return d is not None and o is not None and o in d.ancestors()


def _in_brackets(place, org) -> bool:
    inner = org.text[place.start - org.start - 1: place.start - org.start]
    return inner in ("(", "（")


def extract_article(article: Article) -> ArticleResult:
    districts, finder = find_districts(article)
    home = finder.home_district()
    agencies = find_agencies(article, finder)
    quoted = find_quoted_names(article)
    programs = find_programs(article, quoted)
    policies = find_policies(article, quoted)
    enterprises = find_enterprises(article, districts)
    institutions = find_institutions(article, districts)
    districts = _places_outside_names(districts, enterprises + institutions)
    groups = find_groups(article)
    publishers = find_publishers(article)
    people = find_people(article, agencies + enterprises + institutions, groups) + credited_people(article)

    r = Resolver(article, home.key if home else None)
    r.districts(districts)
    r.agencies(agencies)
    r.organisations(enterprises, "Enterprise")
    r.organisations(institutions, "Institution")
    r.programs(programs, agencies)
    r.simple(policies, "Policy", local=True)
    r.simple(groups, "TargetGroup", local=False)
    r.simple(publishers, "Publisher", local=False)
    r.people(people, [p for p in publishers if p.attrs.get("metadata")])
    entities, relations = r.result()

    mentions = [m for e in entities for m in e.mentions if m.start >= 0]
    figures = extract_figures(article, mentions, home.key if home else None,
                              lambda m: r.key_of.get(id(m)))
    return ArticleResult(article, entities, relations, figures)
