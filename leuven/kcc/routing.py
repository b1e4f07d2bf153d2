"""Routing-rule matching: which handler group gets a case.

A rule is a plain dict; every condition it sets must hold, conditions it
leaves empty match anything. Rules are tried in ``sequence`` order (then by
``id``); the first match wins. When no rule matches, the category's default
group is used, and when there is none the case stays in the KCC queue.
"""

import re
import unicodedata


def normalize_text(text):
    """Lower case without accents: "Straatverlichting" matches "straatverlíchting"."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def split_keywords(raw):
    """Keywords as an admin types them: comma or newline separated."""
    return [k.strip() for k in re.split(r"[,\n;]", raw or "") if k.strip()]


def _keyword_hit(keywords, text):
    haystack = normalize_text(text)
    return any(
        re.search(r"\b" + re.escape(normalize_text(k)) + r"\b", haystack)
        for k in keywords
    )


def rule_matches(rule, case):
    """Whether every condition of ``rule`` holds for ``case`` (both plain dicts).

    ``case`` keys: type, channel, category_id, subject, description, postcode,
    partner_kind.
    """
    checks = (
        ("types", case.get("type")),
        ("channels", case.get("channel")),
        ("category_ids", case.get("category_id")),
        ("postcodes", (case.get("postcode") or "").strip()),
        ("partner_kinds", case.get("partner_kind")),
    )
    for key, value in checks:
        wanted = rule.get(key)
        if wanted and value not in wanted:
            return False
    keywords = rule.get("keywords")
    if keywords:
        text = f"{case.get('subject') or ''}\n{case.get('description') or ''}"
        if not _keyword_hit(keywords, text):
            return False
    return True


def route(rules, case, category_default_group_id=None):
    """Pick the handler group for ``case``.

    Returns ``(group_id, rule_id, reason)`` where ``reason`` is ``"rule"``,
    ``"category"`` or ``"kcc"`` (no group: the KCC's own queue).
    """
    ordered = sorted(rules, key=lambda r: (r.get("sequence", 10), r.get("id", 0)))
    for rule in ordered:
        if rule_matches(rule, case):
            return rule["group_id"], rule.get("id"), "rule"
    if category_default_group_id:
        return category_default_group_id, None, "category"
    return None, None, "kcc"
