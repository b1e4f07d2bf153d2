"""The address register client against its loopback stand-in, and the
Lambert 72 / Lambert 2008 conversions."""

import pytest

from leuven.geo import address_register as ar
from leuven.geo import lambert
from leuven.kcc.geo import distance_m
from leuven.testing.fake_address_register import FakeAddressRegister


@pytest.fixture
def fake():
    server = FakeAddressRegister()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def register(fake):
    return ar.AddressRegister(
        fake.base_url, fake.geolocation_url, timeout=2, municipality="Leuven"
    )


# -- coordinates --------------------------------------------------------------
def test_lambert72_matches_a_published_point():
    # Geolocation's answer for Trambergstraat 1, 3120 Zonhoven gives both
    lat, lon = lambert.to_wgs84(219009.14, 187317.72)
    assert distance_m(lat, lon, 50.991974017459327, 5.3517046535166282) < 0.05


@pytest.mark.parametrize("epsg", [31370, 3812])
def test_lambert_round_trip(epsg):
    x, y = lambert.from_wgs84(50.87885, 4.70104, epsg)
    lat, lon = lambert.to_wgs84(x, y, epsg)
    assert distance_m(lat, lon, 50.87885, 4.70104) < 0.01


def test_lambert_2008_origin():
    lat, lon = lambert.to_wgs84(649328.0, 665262.0, 3812)
    assert abs(lat - 50.797815) < 1e-9 and abs(lon - 4.359215833333333) < 1e-9


def test_unknown_coordinate_system_refused():
    with pytest.raises(ValueError):
        lambert.to_wgs84(1, 2, 28992)


# -- search, detail, reverse --------------------------------------------------
def test_search_gives_addresses_of_the_municipality_only(register, fake):
    found = register.search("kerkstraat 1", limit=5)
    assert [s.label for s in found] == ["Kerkstraat 1, 3001 Leuven"]
    path, query = fake.requests[-1]
    assert path == "/v2/adressen/zoeken"
    assert query == {"q": "kerkstraat 1", "limit": "5", "gemeenteNaam": "Leuven"}


def test_search_leaves_street_names_out(register):
    found = register.search("Naamsestraat")
    assert {s.address_id for s in found} == {"200002", "200003"}
    assert all(s.label.startswith("Naamsestraat 40") for s in found)


def test_address_detail_in_wgs84(register):
    address = register.address("200003")
    assert address == ar.Address(
        "200003",
        "Naamsestraat 40 bus 3, 3000 Leuven",
        "Naamsestraat",
        "40",
        "3",
        "3000",
        "Leuven",
        address.latitude,
        address.longitude,
    )
    assert address.street_line == "Naamsestraat 40 bus 3"
    # the fake rounds Lambert 72 to centimetres
    assert distance_m(address.latitude, address.longitude, 50.87512, 4.70057) < 0.1


def test_unknown_address_is_not_found(register):
    with pytest.raises(ar.NotFound):
        register.address("999999")
    with pytest.raises(ar.NotFound):
        register.address("12; DROP")


def test_reverse_gives_the_nearest_address(register, fake):
    address = register.reverse(50.87890, 4.70110)
    assert address.label == "Grote Markt 9, 3000 Leuven"
    assert address.street_line == "Grote Markt 9"
    assert (address.postcode, address.municipality) == ("3000", "Leuven")
    path, query = fake.requests[-1]
    assert path == "/geolocation/v4/Location"
    assert query == {"latlon": "50.8789000,4.7011000", "c": "1"}


def test_reverse_far_from_any_address_gives_nothing(register):
    # the middle of the Heverleebos: the nearest sample is kilometres away
    assert register.reverse(50.8420, 4.6900) is None


@pytest.mark.parametrize("status", [500, 503, 429])
def test_failures_are_unavailable(register, fake, status):
    fake.fail_next, fake.fail_status = 3, status
    with pytest.raises(ar.Unavailable):
        register.search("Grote Markt")
    with pytest.raises(ar.Unavailable):
        register.address("200001")
    with pytest.raises(ar.Unavailable):
        register.reverse(50.8789, 4.7011)


def test_timeout_is_unavailable(fake):
    fake.delay = 0.5
    slow = ar.AddressRegister(fake.base_url, fake.geolocation_url, timeout=0.1)
    with pytest.raises(ar.Unavailable):
        slow.search("Grote Markt")


def test_unreachable_or_unconfigured_is_unavailable(fake):
    base = fake.base_url
    fake.stop()
    with pytest.raises(ar.Unavailable):
        ar.AddressRegister(base, timeout=0.5).search("Grote Markt")
    with pytest.raises(ar.Unavailable):
        ar.AddressRegister("", "").reverse(50.8789, 4.7011)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"resultaten": "none"},
        [1, 2],
    ],
)
def test_malformed_search_answer_is_unavailable(body):
    with pytest.raises(ar.Unavailable):
        ar.parse_suggestions(body)


def test_malformed_detail_is_unavailable():
    with pytest.raises(ar.Unavailable):
        ar.parse_address({"huisnummer": "1"})
    with pytest.raises(ar.Unavailable):
        ar.parse_address("Grote Markt")


def test_detail_without_readable_position_has_no_point():
    data = {
        "identificator": {"objectId": "1"},
        "volledigAdres": {"geografischeNaam": {"spelling": "A 1, 3000 Leuven"}},
        "adresPositie": {"geometrie": {"gml": "<gml:Point><gml:pos>x y</gml:pos>"}},
    }
    address = ar.parse_address(data)
    assert (address.latitude, address.longitude) == (None, None)


def test_position_in_lambert_2008():
    x, y = lambert.from_wgs84(50.87885, 4.70104, 3812)
    gml = (
        '<gml:Point srsName="https://www.opengis.net/def/crs/EPSG/0/3812">'
        f"<gml:pos>{x} {y}</gml:pos></gml:Point>"
    )
    lat, lon = ar.parse_position({"gml": gml})
    assert distance_m(lat, lon, 50.87885, 4.70104) < 0.01


# -- building units (building register) ---------------------------------------
def test_building_units_at_an_address(register, fake):
    units = register.building_units("200003")
    assert units == [ar.BuildingUnit("500003", "gerealiseerd")]
    path, query = fake.requests[-1]
    assert path == "/v2/gebouweenheden"
    assert query == {"adresObjectId": "200003", "limit": "100"}
    everything = register.building_units("200003", current_only=False)
    assert [(u.unit_id, u.current) for u in everything] == [
        ("500003", True),
        ("500009", False),
    ]
    assert [u.unit_id for u in register.building_units("200004")] == [
        "500004",
        "500005",
    ]


def test_no_building_units(register):
    assert register.building_units("200008") == []
    with pytest.raises(ar.NotFound):
        register.building_units("12; DROP")


@pytest.mark.parametrize("status", [500, 503])
def test_building_units_failure_is_unavailable(register, fake, status):
    fake.fail_next, fake.fail_status = 1, status
    with pytest.raises(ar.Unavailable):
        register.building_units("200003")


def test_building_units_timeout_is_unavailable(fake):
    fake.delay = 0.5
    slow = ar.AddressRegister(fake.base_url, fake.geolocation_url, timeout=0.1)
    with pytest.raises(ar.Unavailable):
        slow.building_units("200003")


@pytest.mark.parametrize("body", [{}, {"gebouweenheden": {}}, [1]])
def test_malformed_building_units_answer_is_unavailable(body):
    with pytest.raises(ar.Unavailable):
        ar.parse_building_units(body)


def test_building_units_answer_as_published():
    # the register's example (capitalised keys as in its C# contract)
    data = {
        "Gebouweenheden": [
            {
                "@type": "Gebouweenheid",
                "Identificator": {"ObjectId": "7", "naamruimte": "x"},
                "Detail": "https://api.basisregisters.vlaanderen.be/v2/gebouweenheden/7",
                "GebouweenheidStatus": "gerealiseerd",
            },
            {"identificator": {"objectId": "6"}, "gebouweenheidStatus": "gepland"},
            {"identificator": {"objectId": "not a number"}},
            "junk",
        ],
        "Volgende": "https://api.basisregisters.vlaanderen.be/v2/gebouweenheden?offset=5",
    }
    units = ar.parse_building_units(data)
    assert [(u.unit_id, u.status) for u in units] == [
        ("6", "gepland"),
        ("7", "gerealiseerd"),
    ]
    assert units[0].as_dict() == {"unit_id": "6", "status": "gepland", "current": True}
