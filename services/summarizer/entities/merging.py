"""Merging the mentions of one entity: surnames into full names, acronyms, transliterations, well-known names."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storywire.services.summarizer.entities.classification import (
    known_organisations,
    single_token_type,
)
from storywire.services.summarizer.entities.lexicons import (
    ACRONYM_SKIP,
    COMMON_CAPS,
    GIVEN_NAMES,
)
from storywire.services.summarizer.entities.mentions import EntityMention, EntityType
from storywire.services.summarizer.entities.patterns import (
    ACRONYM,
)
from storywire.services.summarizer.entities.places import (
    consonant_skeleton,
    find_place,
    is_country,
    is_demonym,
    name_key,
)
from storywire.services.summarizer.entities.spans import (
    RawMention,
)


@dataclass(slots=True)
class _Cluster:
    type: EntityType
    forms: Counter[str]
    place: tuple[int, str] | None

    def full(self) -> str:
        """Longest, then most frequent, surface form."""
        return max(self.forms, key=lambda f: (len(f.split()), self.forms[f], f))


def merge_mentions(raw: Sequence[RawMention], lowercase_words: frozenset[str]) -> list[EntityMention]:
    found = _Clusters()
    pending: list[RawMention] = []
    evidence: set[int] = set()
    team: set[int] = set()
    # Multi-token and typed names first, so that bare surnames can attach to them.
    ordered = sorted(raw, key=lambda r: (r.kind is None, -len(r.name.split())))
    for mention in ordered:
        name, kind = mention.name, mention.kind
        if kind is None:
            pending.append(mention)
            continue
        cluster = found.find(name, kind)
        if cluster is None and len(name.split()) == 1 and kind != "PER":
            # A bare surname that a gazetteer also knows ("Johnston") is the person.
            candidate = found.find(name, None)
            if candidate is not None and candidate.type == "PER":
                cluster = candidate
        if cluster is None and len(name.split()) == 1:
            cluster = found.short_org(name)
        if cluster is None:
            cluster = found.add(_Cluster(type=kind, forms=Counter(), place=find_place(name) if kind == "LOC" else None))
        found.add_form(cluster, name)
        found.by_key[(kind, name_key(name))] = cluster
        if mention.evidence or (cluster.type == "PER" and mention.cue in ("per", "said")):
            evidence.add(id(cluster))
        if mention.team:
            team.add(id(cluster))
    for mention in pending:
        name = mention.name
        if is_demonym(name):
            continue
        cluster = found.find(name, None) or found.short_org(name) or _expanded(name, found.clusters)
        if cluster is not None:
            found.add_form(cluster, name)
            if mention.team:
                team.add(id(cluster))
            continue
        kind = single_token_type(name, lowercase_words)
        if (
            mention.team
            and name.lower() not in lowercase_words
            and name.lower() not in COMMON_CAPS
            and not is_country(name)  # a national side keeps its country's type, as below
        ):
            kind = "ORG"  # "defeat by Everton": the context names a team
        if kind is not None:
            new = found.add(_Cluster(type=kind, forms=Counter(), place=find_place(name)))
            found.add_form(new, name)
            found.by_key[(kind, name_key(name))] = new
    clusters = found.clusters
    clusters = _merge_known_names(_merge_short_forms(clusters))
    kept: list[_Cluster] = []
    for cluster in clusters:
        if cluster.type == "PER" and id(cluster) not in evidence:
            # Capitalisation alone is not enough for a person.
            continue
        if cluster.type == "LOC" and id(cluster) in team and not is_country(cluster.full()):
            cluster.type = "ORG"
        kept.append(cluster)
    return _finish(kept)


def _expanded(name: str, clusters: Sequence[_Cluster]) -> _Cluster | None:
    """The one organisation of the text whose initials an acronym is ("CRS" after "Congressional Research
    Service"): an unknown acronym alone is no evidence of a body, its expansion in the text is."""
    if not ACRONYM.fullmatch(name):
        return None
    found = [c for c in clusters if c.type == "ORG" and any(_abbreviates(name, f) for f in c.forms)]
    return found[0] if len(found) == 1 else None


def _initials(name: str) -> str:
    words = name.replace("-", " ").split()  # "Paris Saint-Germain" is PSG
    return "".join(w[0] for w in words if w.lower() not in ACRONYM_SKIP).upper()


def _abbreviates(short: str, full: str) -> bool:
    """An acronym of ``full`` ("CRS"), or ``full`` with its first word cut short ("Man City")."""
    if ACRONYM.fullmatch(short):
        return len(full.split()) > 1 and _initials(full) == short
    s, f = short.split(), full.split()
    return (
        len(s) == len(f) > 1
        and s[1:] == f[1:]
        and len(s[0]) >= 3
        and len(s[0]) < len(f[0])
        and f[0].lower().startswith(s[0].lower())
    )


def _merge_short_forms(clusters: list[_Cluster]) -> list[_Cluster]:
    """Fold a short form into the one organisation it abbreviates ("CRS", "Man City", "PSG")."""
    orgs = [c for c in clusters if c.type == "ORG"]
    # The organisations a short form may abbreviate (see _abbreviates), by the initials of their
    # forms, or by their words after the first and the beginnings of that word: testing every
    # organisation's every form made the cost grow with the square of their number.
    spelling: dict[tuple[str, ...], set[int]] = defaultdict(set)

    def index(rank: int, forms: Iterable[str]) -> None:
        for form in forms:
            words = form.split()
            if len(words) > 1:
                spelling[(_initials(form),)].add(rank)
                first = words[0].lower()
                for end in range(3, len(first) + 1):
                    spelling[(first[:end], *words[1:])].add(rank)

    for rank, org in enumerate(orgs):
        index(rank, org.forms)
    folded: set[int] = set()
    for short in orgs:
        name = short.full()
        words = name.split()
        key = (name,) if ACRONYM.fullmatch(name) else (words[0].lower(), *words[1:])
        spelled = [
            rank
            for rank in sorted(spelling.get(key, ()))
            if orgs[rank] is not short and any(_abbreviates(name, f) for f in orgs[rank].forms)
        ]
        if len(spelled) == 1 and id(orgs[spelled[0]]) not in folded:
            index(spelled[0], short.forms)
            orgs[spelled[0]].forms.update(short.forms)
            folded.add(id(short))
    return [c for c in clusters if id(c) not in folded]


def _merge_known_names(clusters: list[_Cluster]) -> list[_Cluster]:
    """Fold the names of one well-known organisation into one entity ("Spurs" into Tottenham).

    A name that several organisations go by joins the one the text also names otherwise.
    """
    known = known_organisations()

    def owners(cluster: _Cluster) -> frozenset[str]:
        found = [known[key].owners for key in map(name_key, cluster.forms) if key in known]
        return frozenset().union(*found)

    orgs = sorted(((len(o), o, c) for c in clusters if c.type == "ORG" and (o := owners(c))), key=lambda t: t[0])
    entity: dict[str, _Cluster] = {}
    folded: set[int] = set()
    for _, names, cluster in orgs:
        targets = {id(entity[n]): entity[n] for n in names if n in entity}
        if len(targets) == 1:
            next(iter(targets.values())).forms.update(cluster.forms)
            folded.add(id(cluster))
        elif not targets and len(names) == 1:
            entity[next(iter(names))] = cluster
    return [c for c in clusters if id(c) not in folded]


class _Clusters:
    """The clusters found so far, with indexes that find the ones a name may belong to.

    Comparing each new name with every cluster's every form made a long article's cost grow with
    the square of the names it holds; the indexes give a few candidates, which are then tested as
    before, in the order the clusters were made (the first that fits wins), so the result is the same.
    """

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []
        self.by_key: dict[tuple[str, str], _Cluster] = {}
        self._rank: dict[int, int] = {}  # id(cluster) -> its place in ``clusters``
        self._by_place: dict[int, list[int]] = defaultdict(list)
        # form parts' consonant skeletons: of a full name's surname, and of the whole name
        self._by_surname: dict[str, set[int]] = defaultdict(set)
        self._by_shape: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self._by_suffix: dict[tuple[str, ...], set[int]] = defaultdict(set)  # "van gaal" of "louis van gaal"
        self._by_org_word: dict[str, set[int]] = defaultdict(set)  # first two words of an organisation's name
        self._by_given: dict[str, set[int]] = defaultdict(set)  # first word of a person's full name

    def add(self, cluster: _Cluster) -> _Cluster:
        """Keep a new cluster (after all earlier ones); its forms are indexed as they are added."""
        rank = len(self.clusters)
        self.clusters.append(cluster)
        self._rank[id(cluster)] = rank
        if cluster.place is not None:
            self._by_place[cluster.place[0]].append(rank)
        for form in cluster.forms:
            self._index(rank, cluster, form)
        return cluster

    def add_form(self, cluster: _Cluster, form: str, count: int = 1) -> None:
        """Count a form of the cluster (indexing it the first time)."""
        if form not in cluster.forms:
            self._index(self._rank[id(cluster)], cluster, form)
        cluster.forms[form] += count

    def _index(self, rank: int, cluster: _Cluster, form: str) -> None:
        fparts = name_key(form).split()
        if not fparts:
            return
        self._by_shape[tuple(map(consonant_skeleton, fparts))].add(rank)
        if cluster.type == "PER" and len(fparts) > 1:
            self._by_surname[consonant_skeleton(fparts[-1])].add(rank)
            self._by_given[fparts[0]].add(rank)
            for k in range(1, len(fparts) - 1):
                self._by_suffix[tuple(fparts[k:])].add(rank)
        if cluster.type == "ORG" and len(form.split()) > 1:
            for word in fparts[:2]:
                self._by_org_word[word].add(rank)

    def short_org(self, name: str) -> _Cluster | None:
        """The one multi-word organisation a bare word abbreviates ("Villa", "United")."""
        key = name_key(name)
        if find_place(name) is not None:
            return None
        found = [
            c
            for c in (self.clusters[rank] for rank in sorted(self._by_org_word.get(key, ())))
            if c.type == "ORG" and any(key in name_key(f).split()[:2] and len(f.split()) > 1 for f in c.forms)
        ]
        return found[0] if len(found) == 1 else None

    def find(self, name: str, kind: EntityType | None) -> _Cluster | None:
        """The first cluster the name belongs to: same key, same place, a surname or a variant of a form."""
        key = name_key(name)
        kinds: tuple[EntityType, ...] = (kind,) if kind else ("PER", "ORG", "LOC")
        for k in kinds:
            if (k, key) in self.by_key:
                return self.by_key[(k, key)]
        place = find_place(name)
        parts = key.split()
        candidates: set[int] = set(self._by_shape.get(tuple(map(consonant_skeleton, parts)), ()))
        if place is not None:
            candidates.update(self._by_place.get(place[0], ()))
        if kind in (None, "PER"):
            if len(parts) == 1:
                candidates |= self._by_surname.get(consonant_skeleton(parts[0]), set())
            candidates |= self._by_suffix.get(tuple(parts), set())
        for rank in sorted(candidates):
            if _belongs(self.clusters[rank], parts, place, kind):
                return self.clusters[rank]
        if kind in (None, "PER") and len(parts) == 1 and parts[0] in GIVEN_NAMES:
            # "Nicole" after "Nicole Randock": a first name alone is the one person of that name.
            people = self._by_given.get(parts[0], set())
            if len(people) == 1:
                return self.clusters[next(iter(people))]
        return None


def _belongs(cluster: _Cluster, parts: list[str], place: tuple[int, str] | None, kind: EntityType | None) -> bool:
    """Whether a name (its key's ``parts``, its ``place`` and ``kind``) belongs to the cluster."""
    if kind and cluster.type != kind and not (kind == "PER" and len(parts) == 1):
        return False
    if place is not None and cluster.place is not None and place[0] == cluster.place[0]:
        return True
    for form in cluster.forms:
        fparts = name_key(form).split()
        if not fparts:
            continue
        surname_only = cluster.type == "PER" and len(parts) == 1 and len(fparts) > 1
        # A surname-only mention belongs to a known full name.
        if surname_only and kind in (None, "PER") and _same_variant(parts[0], fparts[-1]):
            return True
        # "Van Gaal" belongs to "Louis van Gaal".
        suffix = 1 < len(parts) < len(fparts) and fparts[-len(parts) :] == parts
        if cluster.type == "PER" and kind in (None, "PER") and suffix:
            return True
        same_shape = len(parts) == len(fparts) and cluster.type == (kind or cluster.type)
        if same_shape and all(_same_variant(a, b) for a, b in zip(parts, fparts, strict=True)):
            return True
    return False


def _same_variant(a: str, b: str) -> bool:
    """True for transliteration variants such as zelensky/zelenskiy/zelenskyy."""
    if a == b:
        return True
    if a[:1] != b[:1] or abs(len(a) - len(b)) > 2:
        return False
    sa, sb = consonant_skeleton(a), consonant_skeleton(b)
    return len(sa) >= 4 and sa == sb and _edit_distance(a, b) <= 2


def _edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _finish(clusters: Iterable[_Cluster]) -> list[EntityMention]:
    out: list[EntityMention] = []
    for cluster in clusters:
        canonical = cluster.full()
        if cluster.type == "LOC":
            # The spelling the article uses most wins over the gazetteer's.
            canonical = max(cluster.forms, key=lambda f: (cluster.forms[f], len(f), f))
        elif cluster.type == "ORG":
            # Prefer forms seen twice, so a one-off "Iconic Arsenal" does not name the club.
            canonical = max(
                cluster.forms, key=lambda f: (cluster.forms[f] > 1 or len(cluster.forms) == 1, len(f.split()), f)
            )
        elif cluster.type == "PER":
            full_forms = Counter({f: c for f, c in cluster.forms.items() if len(f.split()) > 1})
            if full_forms:
                canonical = max(full_forms, key=lambda f: (full_forms[f], f))
        out.append(
            EntityMention(
                name=canonical,
                type=cluster.type,
                count=sum(cluster.forms.values()),
                variants=tuple(sorted(cluster.forms)),
            )
        )
    out.sort(key=lambda e: (-e.count, e.name))
    return out


def merge_entities(groups: Sequence[Sequence[EntityMention]]) -> list[EntityMention]:
    """Union of several articles' entities with spelling variants merged."""
    found = _Clusters()
    flat = sorted(
        (e for group in groups for e in group),
        key=lambda e: (-len(e.name.split()), -e.count),
    )
    members: dict[int, list[EntityMention]] = defaultdict(list)
    for entity in flat:
        cluster = None
        for variant in (entity.name, *entity.variants):
            cluster = found.find(variant, entity.type)
            if cluster is not None:
                break
        if cluster is None:
            cluster = found.add(
                _Cluster(
                    type=entity.type, forms=Counter(), place=find_place(entity.name) if entity.type == "LOC" else None
                )
            )
        found.add_form(cluster, entity.name, entity.count)
        for variant in entity.variants:
            found.by_key[(entity.type, name_key(variant))] = cluster
        members[id(cluster)].append(entity)
    merged: list[EntityMention] = []
    for cluster in found.clusters:
        group = members[id(cluster)]
        canonical = _finish([cluster])[0].name
        variants = sorted({v for e in group for v in (e.name, *e.variants)})
        merged.append(
            EntityMention(
                name=canonical, type=cluster.type, count=sum(e.count for e in group), variants=tuple(variants)
            )
        )
    merged.sort(key=lambda e: (-e.count, e.name))
    return merged
