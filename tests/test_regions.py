"""Kemendagri regions: 38 provinces, 514 regencies/cities, 7,285 districts, each province with its time zone."""
from sqlalchemy import select

from casework.adapters.db import transaction
from casework.models import District, Province, Regency
from casework.reference.regions import load_regions, region_stats
from casework.rules import province_timezones


def test_all_regions_are_loaded(sessions):
    with sessions() as session:
        assert region_stats(session) == {"provinces": 38, "regencies": 514, "districts": 7285}
        kukar = session.get(Regency, "6402")
        assert (kukar.name, kukar.dotted_code, kukar.province.name) == \
            ("Kabupaten Kutai Kartanegara", "64.02", "Kalimantan Timur")
        assert session.get(District, "640201").regency_code == "6402"


def test_loading_again_adds_nothing(sessions):
    with transaction(sessions) as session:
        assert load_regions(session) == {"provinces": 0, "regencies": 0, "districts": 0}
    with sessions() as session:
        assert region_stats(session)["districts"] == 7285


def test_time_zones_follow_keppres_41_1987(sessions):
    with sessions() as session:
        zones = dict(session.execute(select(Province.code, Province.timezone)).all())
    assert zones == province_timezones()
    assert sum(z == "WIB" for z in zones.values()) == 18   # 10 Sumatra + 6 Java + Kalbar + Kalteng
    assert sum(z == "WITA" for z in zones.values()) == 12  # Kalsel, Kaltim, Kaltara, Bali, NTB, NTT, 6 Sulawesi
    assert sum(z == "WIT" for z in zones.values()) == 8    # Maluku, Maluku Utara, 6 Papua
    assert (zones["31"], zones["61"], zones["64"], zones["51"], zones["94"]) == ("WIB", "WIB", "WITA", "WITA", "WIT")


def test_regency_names_are_written_as_the_2025_decree_writes_them(sessions):
    """Kepmendagri 300.2.2-2138/2025: 'Kabupaten …' or 'Kota …' in full (the copy had 'Kab …' and 'Fak Fak')."""
    with sessions() as session:
        names = dict(session.execute(select(Regency.code, Regency.name)).all())
    assert [n for n in names.values() if not n.startswith(("Kabupaten ", "Kota "))] == []
    assert (names["5302"], names["9502"], names["9203"]) == (
        "Kabupaten Timor Tengah Selatan", "Kabupaten Pegunungan Bintang", "Kabupaten Fakfak")


def test_loading_again_corrects_the_names_of_regions_already_there(sessions):
    with transaction(sessions) as session:
        session.get(Regency, "9203").name = "Kabupaten Fak Fak"  # as an older install loaded it
    with transaction(sessions) as session:
        assert load_regions(session)["regencies"] == 0  # nothing added …
    with sessions() as session:
        assert session.get(Regency, "9203").name == "Kabupaten Fakfak"  # … and the name corrected
