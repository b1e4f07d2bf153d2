"""Mapping of IPDC instance snapshots (compact JSON-LD) to plain product dicts.

A product dict (all text values are HTML fragments, per language):

    id                  stable IRI of the instance (``isVersionOf``)
    snapshot_id         IRI of this snapshot (``@id``), changes with every version
    modified            ``laatstGewijzigd`` (or ``generatedAtTime``), ISO string
    generated_at        ``generatedAtTime``
    product_number      ``productnummer``
    title, description, additional_description, exceptions, regulation_text
                        {lang: text}
    conditions, procedures, costs, financial_advantages
                        [{"title": {lang}, "description": {lang}, ...}] in order
    websites, regulations
                        [{"title": {lang}, "description": {lang}, "url": str}]
    contact_points      [{"email", "phone", "url", "opening_hours", "address"}]
    keywords            {lang: [word, ...]}
    themes, target_groups, types, competent_levels, executing_levels,
    publication_channels, languages
                        [code, ...] (last segment of the codelist IRI)
    competent_authorities, executing_authorities
                        [IRI or OVO code, ...]
    created_by, linked_concept, start, end, spatial
    archived            bool (``gearchiveerd``)
    life_events         [] (IPDC has no life-event field; kept for the model)

Languages: ``nl`` collects the Flemish register variants; the register the
government chose (formal/informal) wins over the generated ones. ``en``,
``fr`` and ``de`` are kept as they are.
"""

from html import escape

NL_VARIANTS = (
    "nl",
    "nl-BE-x-informal",
    "nl-BE-x-formal",
    "nl-BE-x-generated-informal",
    "nl-BE-x-generated-formal",
)
# invalid tags seen in the production feed, rewritten as the lblod importer does
LANG_REWRITES = {"nl/je": "nl-BE-x-informal", "nl/u": "nl-BE-x-formal"}
OTHER_LANGS = ("en", "fr", "de")

TEXT_FIELDS = {
    "naam": "title",
    "beschrijving": "description",
    "verdereBeschrijving": "additional_description",
    "uitzonderingen": "exceptions",
    "regelgevingTekst": "regulation_text",
}
LIST_FIELDS = {
    "voorwaarden": "conditions",
    "procedures": "procedures",
    "kosten": "costs",
    "financieleVoordelen": "financial_advantages",
    "websites": "websites",
    "regelgeving": "regulations",
}
CODE_FIELDS = {
    "themas": "themes",
    "doelgroepen": "target_groups",
    "bevoegdBestuursniveaus": "competent_levels",
    "uitvoerendBestuursniveaus": "executing_levels",
    "publicatiekanalen": "publication_channels",
    "talen": "languages",
    "yourEuropeCategorieen": "your_europe_categories",
    "tags": "tags",
}
AUTHORITY_FIELDS = {
    "bevoegdeOverheden": "competent_authorities",
    "uitvoerendeOverheden": "executing_authorities",
}
PLAIN_FIELDS = {
    "@id": "snapshot_id",
    "isVersionOf": "id",
    "generatedAtTime": "generated_at",
    "laatstGewijzigd": "modified_at_source",
    "creatie": "created",
    "productnummer": "product_number",
    "aangemaaktDoor": "created_by",
    "linkedConcept": "linked_concept",
    "startDienstVerlening": "start",
    "eindeDienstVerlening": "end",
}
KNOWN_FIELDS = (
    set(TEXT_FIELDS)
    | set(LIST_FIELDS)
    | set(CODE_FIELDS)
    | set(AUTHORITY_FIELDS)
    | set(PLAIN_FIELDS)
    | {
        "@type",
        "type",
        "zoektermen",
        "contactgegevens",
        "gearchiveerd",
        "geografischToepassingsgebieden",
        "metadata",
        "publicatieLink",
        "linkedConceptId",
        "linkedConceptProductnummer",
        "@context",
    }
)


def _language_values(value):
    """{tag: value} from a language map, a JSON-LD value object
    (``{"@value": ..., "@language": ...}``) or a list of them; plain text is
    Dutch."""
    if isinstance(value, str):
        return {"nl": value}
    if isinstance(value, dict):
        if "@value" in value:
            return {value.get("@language") or "nl": value["@value"]}
        return dict(value)
    if isinstance(value, list):
        result = {}
        for item in value:
            for tag, text in _language_values(item).items():
                result.setdefault(tag, text)
        return result
    return {}


def _lang_map(value, problems=None, field=None):
    """{lang: text} with the Flemish variants folded into ``nl``.

    Only text counts: a value that is not text (an object, a list, a number)
    is left out, and reported in ``problems`` when given.
    """
    value = {LANG_REWRITES.get(k, k): v for k, v in _language_values(value).items()}
    wrong = sorted(str(k) for k, v in value.items() if v and not isinstance(v, str))
    if wrong and problems is not None:
        problems.append(f"{field}: not text in {', '.join(wrong)}, ignored")
    value = {k: v for k, v in value.items() if isinstance(v, str) and v.strip()}
    result = {}
    for variant in NL_VARIANTS:
        if value.get(variant):
            result["nl"] = value[variant]
            break
    for lang in OTHER_LANGS:
        if value.get(lang):
            result[lang] = value[lang]
    return result


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def code_of(value):
    """'BurgerOverheid' from '.../id/concept/Thema/BurgerOverheid'."""
    if isinstance(value, dict):
        value = value.get("@id") or value.get("id") or ""
    return str(value).rstrip("/").rsplit("/", 1)[-1]


def authority_of(value):
    if isinstance(value, dict):
        return value.get("id") or value.get("@id") or ""
    return str(value)


def _entry(node, problems, field):
    if not isinstance(node, dict):
        problems.append(f"{field}: entry is not an object")
        return None
    entry = {
        "title": _lang_map(node.get("naam"), problems, f"{field}.naam"),
        "description": _lang_map(
            node.get("beschrijving"), problems, f"{field}.beschrijving"
        ),
        "order": node.get("order", 0),
    }
    if node.get("url"):
        entry["url"] = node["url"]
    if isinstance(node.get("bewijs"), dict):
        entry["evidence"] = {
            "title": _lang_map(node["bewijs"].get("naam")),
            "description": _lang_map(node["bewijs"].get("beschrijving")),
        }
    if node.get("websites"):
        entry["websites"] = [
            e
            for e in (_entry(w, problems, field) for w in _as_list(node["websites"]))
            if e
        ]
    return entry


def _ordered(nodes, problems, field):
    entries = [e for e in (_entry(n, problems, field) for n in _as_list(nodes)) if e]
    return sorted(entries, key=lambda e: e.get("order") or 0)


def _address(node):
    if not isinstance(node, dict):
        return {}
    return {
        "street": _lang_map(node.get("straatnaam")).get("nl", ""),
        "number": node.get("huisnummer", ""),
        "box": node.get("busnummer", ""),
        "postcode": node.get("postcode", ""),
        "municipality": _lang_map(node.get("gemeentenaam")).get("nl", ""),
        "country": _lang_map(node.get("land")).get("nl", ""),
    }


def _contact_point(node):
    if not isinstance(node, dict):
        return None
    addresses = _as_list(node.get("adres"))
    return {
        "email": node.get("email", ""),
        "phone": node.get("telefoonnummer", ""),
        "url": node.get("url", ""),
        "opening_hours": node.get("openingsuren", ""),
        "address": _address(addresses[0]) if addresses else {},
        "order": node.get("order", 0),
    }


def map_snapshot(member):
    """Map one LDES member; returns ``(product or None, problems)``.

    Unknown or malformed fields never raise: they are listed in ``problems``.
    A member without ``isVersionOf`` or a Dutch title cannot become a product
    (a title in English or French only is a problem to report, not a title).
    """
    problems = []
    if not isinstance(member, dict):
        return None, ["member is not an object"]
    product = {value: member.get(key) for key, value in PLAIN_FIELDS.items()}
    product["modified"] = product["modified_at_source"] or product["generated_at"]
    for key, name in TEXT_FIELDS.items():
        product[name] = _lang_map(member.get(key), problems, key)
    for key, name in LIST_FIELDS.items():
        product[name] = _ordered(member.get(key), problems, key)
    for key, name in CODE_FIELDS.items():
        product[name] = [code_of(v) for v in _as_list(member.get(key))]
    for key, name in AUTHORITY_FIELDS.items():
        product[name] = [authority_of(v) for v in _as_list(member.get(key))]
    product["types"] = [code_of(v) for v in _as_list(member.get("type"))]
    product["spatial"] = [
        code_of(v) for v in _as_list(member.get("geografischToepassingsgebieden"))
    ]
    keywords = member.get("zoektermen") or {}
    if isinstance(keywords, dict):
        folded = {}
        for lang, words in keywords.items():
            lang = LANG_REWRITES.get(lang, lang)
            target = "nl" if lang in NL_VARIANTS else lang
            folded.setdefault(target, []).extend(w for w in _as_list(words) if w)
        product["keywords"] = folded
    else:
        problems.append("zoektermen: not a language map")
        product["keywords"] = {}
    product["contact_points"] = sorted(
        (c for c in map(_contact_point, _as_list(member.get("contactgegevens"))) if c),
        key=lambda c: c.get("order") or 0,
    )
    archived = member.get("gearchiveerd", False)
    product["archived"] = archived in (True, "true", "True", 1)
    product["life_events"] = []
    for key in sorted(set(member) - KNOWN_FIELDS):
        problems.append(f"unknown field {key!r} ignored")
    if not product["id"]:
        problems.append("no isVersionOf: not a product snapshot")
        return None, problems
    if not product["title"].get("nl"):
        other = ", ".join(sorted(product["title"])) or "none"
        problems.append(
            f"no Dutch title (naam; other languages: {other}): not taken over"
        )
        return None, problems
    return product, problems


def concerns(member, authority_ids):
    """Whether ``member`` belongs to one of ``authority_ids`` (IRIs or OVO codes).

    Competent authority, executing authority or creator; an empty set keeps all.
    """
    if not authority_ids:
        return True
    values = [
        authority_of(v) for key in AUTHORITY_FIELDS for v in _as_list(member.get(key))
    ]
    values.append(authority_of(member.get("aangemaaktDoor") or ""))
    return any(v in authority_ids for v in values)


def _text(entry, lang, key="title"):
    values = entry.get(key, {})
    return values.get(lang) or values.get("nl", "")


def html_list(entries, lang="nl"):
    """Render titled entries (conditions, procedures, costs...) as one HTML fragment."""
    parts = []
    for entry in entries:
        title = entry.get("title", {}).get(lang) or entry.get("title", {}).get("nl", "")
        body = entry.get("description", {}).get(lang) or entry.get(
            "description", {}
        ).get("nl", "")
        link = entry.get("url")
        heading = f"<h4>{escape(title)}</h4>" if title else ""
        if link:
            heading = f'<h4><a href="{escape(link)}">{escape(title or link)}</a></h4>'
        links = "".join(
            '<li><a href="{}">{}</a></li>'.format(
                escape(site["url"]), escape(_text(site, lang) or site["url"])
            )
            for site in entry.get("websites", [])
            if site.get("url")
        )
        links = f"<ul>{links}</ul>" if links else ""
        parts.append(f"<section>{heading}{body}{links}</section>")
    return "".join(parts)
