import pytest

from leuven.burgerprofiel import dosis


def _case(**values):
    data = {
        "reference": "KCC/2026/000042",
        "title": "Put in het fietspad",
        "status_code": "in_treatment",
        "status_label": "In behandeling",
        "status_date": "2026-11-25T10:00:00+01:00",
        "url": "https://www.leuven.be/my/cases/42",
        "national_number": "85.07.30-033.28",
    }
    data.update(values)
    return dosis.CaseStatus(**data)


def test_status_message_conforms_and_names_the_citizen():
    message = dosis.status_message(_case(), "Stad Leuven", "0207.451.227")
    assert dosis.problems(message) == []
    assert message["agenten"] == [{"type": "rijksregisternummer", "id": "85073003328"}]
    assert message["dossier"]["actieNodig"] is False


def test_waiting_asks_for_action():
    message = dosis.status_message(_case(status_code="waiting"), "Stad Leuven")
    assert message["dossier"]["actieNodig"] is True
    assert message["dossier"]["actie"]
    assert dosis.problems(message) == []


def test_company_and_association_agents():
    case = _case(national_number="", kbo_number="0207.451.227", vcode="V0001027")
    assert dosis.agents(case) == [
        {"type": "kbonummer", "id": "0207451227"},
        {"type": "vcode", "id": "V0001027"},
    ]


def test_notification_conforms():
    message = dosis.notification_message(_case(status_code="answered"), "Stad Leuven")
    assert dosis.problems(message) == []
    assert message["berichtType"] == "notificatie"
    assert "KCC/2026/000042" in message["notificatie"]["titel"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"agenten": []}, "agenten"),
        ({"berichtType": "iets"}, "berichtType"),
        ({"berichtType": "notificatie"}, "message"),
    ],
)
def test_problems_say_where(change, where):
    message = dosis.status_message(_case(), "Stad Leuven")
    message.update(change)
    assert any(p.startswith(where) for p in dosis.problems(message))
