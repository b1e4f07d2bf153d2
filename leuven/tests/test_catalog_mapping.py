import json
from pathlib import Path

from leuven.catalog import mapping
from leuven.catalog.samples import sample_members

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ipdc"


def full_member():
    return json.loads((FIXTURES / "instancesnapshot-ldes/page-1.json").read_text())[
        "member"
    ][0]


def test_every_field_of_a_full_instance_is_mapped():
    product, problems = mapping.map_snapshot(full_member())
    assert problems == []
    assert product["id"].startswith("http://data.lblod.info/id/public-service/")
    assert product["title"] == {
        "nl": "Akte van Belgische nationaliteit",
        "en": "Certificate of Belgian nationality",
    }
    assert "Belgische nationaliteit" in product["description"]["nl"]
    for key in ("additional_description", "exceptions", "regulation_text"):
        assert product[key]["nl"], key
    assert [c["title"]["nl"] for c in product["costs"]][:2] == [
        "Bedrag kost - 1",
        "Bedrag kost - 2",
    ]
    assert product["conditions"][0]["evidence"]["title"]
    assert product["procedures"][0]["websites"][0]["url"].startswith("http")
    assert product["websites"][0]["url"].startswith("https://justitie")
    assert product["financial_advantages"] and product["regulations"]
    assert product["contact_points"][0] == {
        "email": "info@gent.be1",
        "phone": "04123456781",
        "url": "https://www.gent.be1",
        "opening_hours": "24/24 - 1",
        "address": {
            "street": "Burggravenlaan",
            "number": "1",
            "box": "a",
            "postcode": "9000",
            "municipality": "Gent",
            "country": "België",
        },
        "order": 0,
    }
    assert product["themes"] == ["BurgerOverheid", "CultuurSportVrijeTijd"]
    assert product["target_groups"] == ["Burger", "Onderneming"]
    assert product["types"] == ["FinancieelVoordeel"]
    assert product["languages"] == ["NLD", "ENG"]
    assert product["keywords"] == {"nl": ["Akte", "Nationaliteit"]}
    assert product["competent_authorities"] and product["executing_authorities"]
    assert product["modified"] == "2024-02-14T13:59:25.237Z"
    assert product["archived"] is False


def test_register_variants_fold_into_dutch():
    member = {
        "isVersionOf": "x",
        "naam": {
            "nl-BE-x-generated-formal": "Gegenereerd",
            "nl-BE-x-formal": "Formeel",
        },
        "beschrijving": {"nl/je": "Jij-vorm", "fr": "Français", "de": "Deutsch"},
    }
    product, _problems = mapping.map_snapshot(member)
    assert product["title"] == {"nl": "Formeel"}
    assert product["description"] == {
        "nl": "Jij-vorm",
        "fr": "Français",
        "de": "Deutsch",
    }


def test_unknown_and_malformed_fields_are_reported_not_fatal():
    member = {
        "isVersionOf": "x",
        "naam": {"nl": "Iets"},
        "levensgebeurtenis": ["Verhuizen"],
        "kosten": ["not an object"],
        "zoektermen": "plain text",
    }
    product, problems = mapping.map_snapshot(member)
    assert product["title"] == {"nl": "Iets"}
    assert "unknown field 'levensgebeurtenis' ignored" in problems
    assert "kosten: entry is not an object" in problems
    assert "zoektermen: not a language map" in problems


def test_a_member_without_id_or_title_is_no_product():
    assert mapping.map_snapshot({"naam": {"nl": "x"}})[0] is None
    assert mapping.map_snapshot({"isVersionOf": "x"})[0] is None
    assert mapping.map_snapshot("garbage") == (None, ["member is not an object"])


def test_archived_snapshot():
    product, _ = mapping.map_snapshot(
        {"isVersionOf": "x", "naam": {"nl": "y"}, "gearchiveerd": True}
    )
    assert product["archived"] is True


def test_filter_on_the_city():
    leuven = sample_members()[0]["bevoegdeOverheden"][0]
    assert all(mapping.concerns(m, {leuven}) for m in sample_members())
    assert not mapping.concerns(full_member(), {leuven})
    assert mapping.concerns(
        {"uitvoerendeOverheden": [{"id": "OVO002149"}]}, {"OVO002149"}
    )
    assert mapping.concerns(full_member(), set())


def test_every_sample_product_maps_cleanly():
    for member in sample_members():
        product, problems = mapping.map_snapshot(member)
        assert problems == [], problems
        assert product["title"]["nl"] and product["contact_points"]


def test_html_list_escapes_titles():
    html = mapping.html_list(
        [
            {
                "title": {"nl": "<b>x</b>"},
                "description": {"nl": "<p>ok</p>"},
                "url": "https://a",
            }
        ]
    )
    assert "&lt;b&gt;" in html and "<p>ok</p>" in html and 'href="https://a"' in html


def test_a_product_without_a_dutch_title_is_a_reported_problem():
    member = full_member()
    member["naam"] = {"en": "Certificate of Belgian nationality", "fr": "Acte"}
    product, problems = mapping.map_snapshot(member)
    assert product is None
    assert any("no Dutch title" in p and "en, fr" in p for p in problems), problems


def test_a_title_that_is_not_text_is_no_title():
    member = full_member()
    member["naam"] = {"nl": {"@id": "_:b0"}, "en": "Certificate"}
    product, problems = mapping.map_snapshot(member)
    assert product is None
    assert "naam: not text in nl, ignored" in problems
    assert any("no Dutch title" in p for p in problems)
    member["naam"] = {"nl": ["Akte", "Akte 2"], "nl-BE-x-formal": "Akte (u)"}
    product, problems = mapping.map_snapshot(member)
    assert product["title"] == {"nl": "Akte (u)"}
    assert "naam: not text in nl, ignored" in problems


def test_a_blank_dutch_title_is_no_title():
    member = full_member()
    member["naam"] = {"nl": "   ", "en": "Certificate"}
    product, problems = mapping.map_snapshot(member)
    assert product is None and problems


def test_json_ld_value_objects_are_language_text():
    member = full_member()
    member["naam"] = [
        {"@language": "en", "@value": "Certificate"},
        {"@language": "nl-BE-x-formal", "@value": "Akte"},
    ]
    product, problems = mapping.map_snapshot(member)
    assert product["title"] == {"nl": "Akte", "en": "Certificate"}
    assert problems == []


def test_every_real_format_snapshot_has_a_dutch_title():
    for path in sorted((FIXTURES / "instancesnapshot-ldes").glob("page-*.json")):
        for member in json.loads(path.read_text())["member"]:
            product, problems = mapping.map_snapshot(member)
            assert product and product["title"]["nl"], (path.name, problems)
            assert all(isinstance(text, str) for text in product["title"].values())
