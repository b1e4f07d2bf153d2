from leuven.kcc import geo

# Leuven town hall and the university library (Ladeuzeplein), about 550 m apart
TOWN_HALL = (50.87898, 4.70121)
LIBRARY = (50.87617, 4.70732)


def test_distance_between_two_landmarks():
    distance = geo.distance_m(*TOWN_HALL, *LIBRARY)
    assert 450 < distance < 600
    assert geo.distance_m(*TOWN_HALL, *TOWN_HALL) == 0


def test_box_covers_the_radius():
    dlat, dlon = geo.degrees_box(TOWN_HALL[0], 50)
    assert geo.distance_m(*TOWN_HALL, TOWN_HALL[0] + dlat, TOWN_HALL[1]) >= 49.9
    assert geo.distance_m(*TOWN_HALL, TOWN_HALL[0], TOWN_HALL[1] + dlon) >= 49.9


def test_normalize_address():
    assert geo.normalize_address("Naamsestraat 40", "3000") == geo.normalize_address(
        " naamsestr. 40", "3000 "
    )
    assert geo.normalize_address("Naamsestraat 40") != geo.normalize_address(
        "Naamsestraat 42"
    )


def test_street_name_drops_number_box_and_postcode():
    assert geo.street_name("Naamsestraat 40 bus 3") == "Naamsestraat"
    assert geo.street_name("  Grote   Markt, 9 ") == "Grote Markt"
    assert geo.street_name("Tiensestraat nr. 12, 3000 Leuven") == "Tiensestraat"
    assert geo.street_name("Vismarkt") == "Vismarkt"
    assert geo.street_name("12") == ""
    assert geo.street_name(None) == ""
    assert len(geo.street_name("a" * 500)) == 60
