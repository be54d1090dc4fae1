import datetime

import pytest
from stdnum.cn import ric

from townadmin.demo_people import FEMALE, MALE, birth_years, fictional_residents


@pytest.mark.parametrize("county_code", ["371122", "130926"])
def test_every_identity_number_is_valid_and_carries_the_county_code(county_code):
    residents = fictional_residents(county_code, 300, seed=7)

    assert all(ric.is_valid(resident.identity_number) for resident in residents)
    assert {resident.identity_number[:6] for resident in residents} == {county_code}


def test_the_identity_number_carries_the_birth_date_and_the_gender():
    for resident in fictional_residents("371122", 200, seed=1):
        assert ric.get_birth_date(resident.identity_number) == resident.birth_date
        odd = int(resident.identity_number[16]) % 2 == 1
        assert odd == (resident.gender == MALE)


def test_the_same_seed_gives_the_same_people_and_another_seed_others():
    assert fictional_residents("130926", 50, seed=3) == fictional_residents("130926", 50, seed=3)
    assert fictional_residents("130926", 50, seed=3) != fictional_residents("130926", 50, seed=4)


def test_identity_numbers_are_distinct():
    residents = fictional_residents("130926", 1000, seed=9)

    assert len({resident.identity_number for resident in residents}) == 1000


def test_residents_are_adults_of_both_genders_with_chinese_names():
    residents = fictional_residents("371122", 200, seed=2)

    assert {resident.gender for resident in residents} == {MALE, FEMALE}
    assert all(resident.birth_date <= datetime.date(2006, 12, 31) for resident in residents)
    assert all(2 <= len(resident.name) <= 3 for resident in residents)
    assert all("\u4e00" <= char <= "\u9fff" for r in residents for char in r.name)


def test_births_fall_in_years_when_the_county_code_was_in_use():
    # 莒县 has had 371122 since 1992 (372826 before): an earlier birth would not validate.
    assert birth_years("371122")[0] == 1992


def test_an_unknown_county_code_is_refused():
    with pytest.raises(ValueError):
        fictional_residents("999999", 1, seed=1)
