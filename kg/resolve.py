"""Mentions -> entities and relations: one entity per thing, each with a stable key.

Inside an article, mentions of one thing share an identity key: districts
their division (松江 and 松江区 -> District|310117), agencies their place and
canonical body (区人社局 -> Agency|District|310117|人力资源和社会保障局),
programs their quoted core (“新创联盟”品牌 and “新创联盟”创业服务品牌). The key
is made so that the same thing gets the same key in every article, which is
what lets graphs from different articles and runs merge.

Relations come from the grammar the extractors saw: partOf from the division
tree, locatedIn from the place in a body's or company's name, affiliation and
role from post + name, organizer from the body acting in a program's sentence.
"""
from __future__ import annotations

from collections import defaultdict

import re

from .extract.enterprises import LEGAL_ENDS, company_core
from .extract.programs import national_campaign
from .model import Article, Entity, Mention, Relation


def _entity(entities: dict, etype: str, key: str, name: str) -> Entity:
    e = entities.get(key)
    if e is None:
        e = entities[key] = Entity(etype, name, key)
    return e


def _longest(names) -> str:
    return max(names, key=lambda n: (len(n), n))


# What a body does to a program right after its name: hosts it, or only helps.
_HOST_RE = re.compile(r"[、和与及\s]{0,2}(联合)?(主办|牵头)")
_HELPER_RE = re.compile(r"[、和与及\s]{0,2}(承办|协办|参与|配合|支持)")


class Resolver:
    def __init__(self, article: Article, home_key: str | None):
        self.article = article
        self.home_key = home_key
        self.entities: dict[str, Entity] = {}
        self.relations: set[Relation] = set()
        self.key_of: dict[int, str] = {}        # id(mention) -> entity key

    def link(self, mention: Mention, entity: Entity, alias: bool = True) -> None:
        entity.mentions.append(mention)
        self.key_of[id(mention)] = entity.key
        if alias and mention.start >= 0 and not mention.attrs.get("context_bound"):
            entity.aliases.add(mention.text)
        entity.aliases.update(mention.attrs.get("aliases", ()))

    # -- districts -------------------------------------------------------------
    def districts(self, mentions: list[Mention]) -> None:
        for m in mentions:
            place = m.attrs["place"]
            e = _entity(self.entities, "District", place.key, place.name)
            e.attrs.update({"level": place.level, "adminCode": m.attrs.get("adminCode")})
            if place.ambiguous:
                e.attrs["ambiguous"] = True
            self.link(m, e)
        for e in list(self.entities.values()):
            if e.type == "District":
                self._ancestors(e)

    def _ancestors(self, e: Entity) -> None:
        """partOf up to the province; ancestors the article does not name are
        added without a mention (they carry no mentionedIn)."""
        place = e.mentions[0].attrs["place"] if e.mentions else None
        d = place.division if place else None
        child_key = e.key
        parent_key = place.parent_key if place else None
        parent = d.parent if d else None
        while parent_key:
            self.relations.add(Relation(child_key, "partOf", parent_key))
            if parent_key in self.entities or parent is None:
                if parent is None:
                    break
            if parent_key not in self.entities:
                pe = _entity(self.entities, "District", parent_key, parent.name)
                pe.attrs.update({"level": parent.level, "adminCode": parent.code, "unmentioned": True})
            child_key = parent_key
            parent_key = parent.parent.key if parent.parent else None
            parent = parent.parent

    # -- organisations -----------------------------------------------------------
    def agencies(self, mentions: list[Mention]) -> None:
        for m in mentions:
            e = _entity(self.entities, "Agency", m.attrs["key"], m.name)
            self.link(m, e)
            if not m.attrs.get("context_bound") and len(m.name) > len(e.name):
                e.name = m.name
            place = m.attrs.get("place")
            if place is not None:
                self.relations.add(Relation(e.key, "locatedIn", place.key))

    def organisations(self, mentions: list[Mention], etype: str) -> None:
        """Companies and institutions, one entity per thing.

        Institutions and companies whose name holds no specific core are known
        by their full name everywhere. A company is known by its core name in
        its city (苏州合兴食品有限公司 -> 合兴 in 苏州市), so that the short name
        another article of that city uses (合兴公司) is the same company, and a
        same-named company of another city is not. A short name that is the core
        of a full name in the article (恒力 / 恒力集团) is that company."""
        legal = [m for m in mentions if m.name.endswith(LEGAL_ENDS) or etype == "Institution"]
        short = [m for m in mentions if m not in legal]
        cores: dict[str, Entity] = {}
        # the longest names first, so 欧珀公司 finds 广东欧珀移动通信有限公司's core
        for m in sorted(legal, key=lambda m: -len(m.name)):
            places = m.attrs.get("places") or []
            core = company_core(m.name, places) if etype == "Enterprise" else None
            city = self._city_key(places[0].attrs["place"] if places else None)
            key = f"{etype}|{city}|{core}" if core else f"{etype}|{m.name}"
            if core in cores:
                key = cores[core].key
            e = _entity(self.entities, etype, key, m.name)
            if len(m.name) > len(e.name):
                e.name = m.name
            self.link(m, e)
            self._place_of(e, m, etype)
            if core:
                cores.setdefault(core, e)
        for m in short:
            e = next((c for core, c in cores.items() if m.name == core or m.name.startswith(core)), None)
            if e is None:
                core = company_core(m.name, m.attrs.get("places") or []) or m.name
                e = _entity(self.entities, etype, f"{etype}|{self._city_key(None)}|{core}", m.name)
            self.link(m, e)
            self._place_of(e, m, etype)
        for core, e in cores.items():               # later bare uses of the core: 合兴公司, 合兴
            e.aliases.update(self._core_uses(core, e))

    def _city_key(self, place) -> str:
        """The city (prefecture level, or a municipality) of a place, else of the article."""
        d = place.division if place is not None else None
        if d is None and self.home_key:
            from .gazetteer import gazetteer
            d = gazetteer().by_code.get(self.home_key.split("|")[1]) if self.home_key.count("|") == 1 else None
        while d is not None and d.level not in ("city", "province"):
            if d.parent is not None and d.parent.level == "province" and d.level == "county":
                d = d.parent                          # a county of a municipality: the municipality
                break
            d = d.parent
        return f"District|{d.code}" if d is not None else (self.home_key or "CN")

    def _place_of(self, e: Entity, m: Mention, etype: str) -> None:
        places = m.attrs.get("places") or []
        if places and etype == "Enterprise":
            self.relations.add(Relation(e.key, "locatedIn", places[0].attrs["place"].key))

    def _core_uses(self, core: str, e: Entity) -> set[str]:
        """Surface forms in the text that use a company's core on its own."""
        text = self.article.text
        found = set()
        for i in (k for k in range(len(text)) if text.startswith(core, k)):
            if any(x.start <= i < x.end for x in e.mentions):
                continue
            tail = re.match(r"(公司|集团)?", text[i + len(core):]).group()
            found.add(core + tail)
        return found

    # -- programs and policies ------------------------------------------------------
    def programs(self, mentions: list[Mention], agencies: list[Mention]) -> None:
        """One program per quoted core; events under a brand are programs of their own."""
        by_core: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            by_core[m.attrs.get("core") or m.name].append(m)
        for core, ms in by_core.items():
            identity = [m for m in ms if not m.attrs.get("event")]
            events = [m for m in ms if m.attrs.get("event")]
            event_names = {m.name for m in events}
            groups: list[tuple[str, list[Mention], bool]] = []
            if identity:
                # one form throughout: that form; several (品牌, 创业服务品牌): the core
                forms = {m.name for m in identity}
                groups.append((forms.pop() if len(forms) == 1 else core, identity, True))
                for n in sorted(event_names):
                    groups.append((n, [m for m in events if m.name == n], False))
            elif len(event_names) == 1:
                groups.append((events[0].name, events, True))
            else:
                groups.append((core, events, True))
            for name, group, core_alias in groups:
                organizers = [o for o in (self._organizer(m, agencies) for m in group) if o]
                campaign = national_campaign(name, core)
                where = (self._agency_place(organizers[0]) if organizers else None) or self.home_key
                if campaign:          # a district's edition of a national campaign
                    key = f"Program|{where or 'CN'}|{campaign}"
                    e = _entity(self.entities, "Program", key, campaign)
                    e.aliases.add(name)
                    self._national(e, campaign)
                else:
                    key = f"Program|{self.home_key or 'CN'}|{name}"
                    e = _entity(self.entities, "Program", key, name)
                for m in group:
                    if not core_alias:
                        m.attrs["aliases"] = {a for a in m.attrs.get("aliases", ()) if a != core}
                    self.link(m, e, alias=False)
                for org in organizers:
                    self.relations.add(Relation(e.key, "organizer", org))
                if where:
                    self.relations.add(Relation(e.key, "heldIn", where))

    def _agency_place(self, agency_key: str) -> str | None:
        for r in self.relations:
            if r.subject == agency_key and r.predicate == "locatedIn":
                return r.object
        return None

    def _national(self, edition: Entity, campaign: str) -> None:
        """The national campaign itself: in the graph, linked from its edition,
        but not mentioned by the article (the article speaks of its edition)."""
        key = f"Program|CN|{campaign}"
        national = _entity(self.entities, "Program", key, campaign)
        national.attrs.update({"unmentioned": True, "scope": "national"})
        self.relations.add(Relation(edition.key, "editionOf", key))

    def _organizer(self, m: Mention, agencies: list[Mention]) -> str | None:
        """The body acting where the program is named: the nearest one before it
        in the same sentence, else the body the paragraph is about (its first)."""
        i = self.article.sentence_at(m.start)
        if i < 0:
            return None
        s = self.article.sentences[i]
        text = self.article.text
        # a body named as co-organiser or helper (承办, 协办, 参与 …) does not run the program;
        # one named as its host (X主办、Y承办) does, wherever it stands in the sentence
        in_sentence = [a for a in agencies if s.start <= a.start and a.end <= s.end]
        hosts = [a for a in in_sentence if _HOST_RE.match(text, a.end)]
        if hosts:
            return self.key_of.get(id(hosts[0]))
        before = [a for a in in_sentence if a.end <= m.start and not _HELPER_RE.match(text, a.end)]
        if not before:
            para = [x for x in self.article.sentences if x.paragraph == s.paragraph]
            before = [a for a in agencies if para[0].start <= a.start and a.end <= m.start][:1]
        return self.key_of.get(id(before[-1])) if before else None

    def simple(self, mentions: list[Mention], etype: str, local: bool) -> None:
        for m in mentions:
            key = f"{etype}|{self.home_key or 'CN'}|{m.name}" if local else f"{etype}|{m.name}"
            e = _entity(self.entities, etype, key, m.name)
            self.link(m, e, alias=m.start >= 0)

    # -- people ------------------------------------------------------------------
    def people(self, mentions: list[Mention], publishers: list[Mention]) -> None:
        pub_key = self.key_of.get(id(publishers[0])) if publishers else None
        for m in mentions:
            aff = m.attrs.get("affiliation")
            aff_key = self.key_of.get(id(aff)) if aff is not None else None
            role = m.attrs.get("role")
            # authors, reporters and editors work for the outlet; a 通讯员 (correspondent)
            # usually writes for the body the story is about, so gets no outlet
            if m.attrs.get("credit") and role in ("作者", "编辑", "记者", "摄影") and pub_key:
                aff_key = pub_key
            # one person across articles only where name and affiliation agree
            key = f"Person|{m.name}|{aff_key or 'article:' + self.article.source_file}"
            e = _entity(self.entities, "Person", key, m.name)
            self.link(m, e, alias=False)
            if aff_key:
                self.relations.add(Relation(e.key, "affiliation", aff_key, role))
            elif role:
                e.attrs["role"] = role

    def result(self) -> tuple[list[Entity], list[Relation]]:
        for e in self.entities.values():
            e.aliases.discard(e.name)
        return list(self.entities.values()), sorted(self.relations, key=lambda r: (r.predicate, r.subject, r.object))
