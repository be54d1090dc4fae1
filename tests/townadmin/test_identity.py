"""Identity numbers of applicants: resident identity numbers (GB 11643) and unified
social credit codes (GB 32100) as the service hall takes them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from stdnum.cn import ric, uscc

from townadmin.demo_people import fictional_residents
from townadmin.identity import (
    AREA_UNKNOWN,
    FUTURE_BIRTH_DATE,
    INVALID_BIRTH_DATE,
    ORGANISATION_FORMAT,
    REQUIRED,
    RESIDENT_FORMAT,
    UNKNOWN_KIND,
    WRONG_CHECKSUM,
    WRONG_LENGTH,
    ApplicantType,
    mask,
    parse_identity,
)

PERSON = ApplicantType.PERSON
ORGANISATION = ApplicantType.ORGANISATION

# A fictional enterprise registered in 莒县 (371122); the check digit is computed below.
CREDIT_CODE_BODY = "91371122MA3C4K2R7"


@pytest.fixture
def resident_number():
    return fictional_residents("371122", 3, seed=1)[0].identity_number


@pytest.fixture
def credit_code():
    return CREDIT_CODE_BODY + uscc.calc_check_digit(CREDIT_CODE_BODY)


def with_resident_check_digit(body):
    # ric.calc_check_digit expects a number with a check digit in place; any will do.
    return body + ric.calc_check_digit(body + "0")


def refusal(kind, raw):
    with pytest.raises(ValidationError) as excinfo:
        parse_identity(kind, raw)
    return excinfo.value


def test_it_accepts_a_valid_resident_identity_number_of_a_known_area(resident_number):
    identity = parse_identity(PERSON, resident_number)

    assert (identity.kind, identity.number) == (PERSON, resident_number)
    assert (identity.area_code, identity.area_known, identity.warnings) == ("371122", True, ())


def test_it_accepts_the_kind_as_its_stored_code(resident_number):
    assert parse_identity("person", resident_number).kind == PERSON


def test_it_refuses_a_resident_identity_number_with_one_digit_changed(resident_number):
    changed = resident_number[:15] + str((int(resident_number[15]) + 1) % 10) + resident_number[16:]

    error = refusal(PERSON, changed)

    assert (error.code, error.message) == ("checksum", WRONG_CHECKSUM)


def test_it_refuses_a_resident_identity_number_of_17_digits(resident_number):
    error = refusal(PERSON, resident_number[:17])

    assert (error.code, error.message, error.params) == ("length", WRONG_LENGTH, {"length": 17})


def test_it_refuses_a_resident_identity_number_with_letters_in_the_middle(resident_number):
    error = refusal(PERSON, resident_number[:8] + "AB" + resident_number[10:])

    assert (error.code, error.message) == ("format", RESIDENT_FORMAT)


def test_it_refuses_an_empty_number():
    error = refusal(PERSON, "  \u3000 ")

    assert (error.code, error.message) == ("required", REQUIRED)


def test_it_refuses_an_unknown_kind_of_applicant(resident_number):
    error = refusal("robot", resident_number)

    assert (error.code, error.message) == ("kind", UNKNOWN_KIND)


def test_it_normalises_full_width_digits_spaces_and_a_lower_case_x():
    number = with_resident_check_digit("37112219800101002")
    assert number.endswith("X"), "the test needs a number whose check digit is X"
    typed = "３７１１２２　１９８００１０１　００２x"

    assert parse_identity(PERSON, typed).number == number


def test_it_refuses_a_resident_identity_number_whose_birth_date_does_not_exist():
    error = refusal(PERSON, with_resident_check_digit("37112219900230001"))

    assert (error.code, error.message) == ("birth_date", INVALID_BIRTH_DATE)


def test_it_refuses_a_resident_identity_number_born_in_the_future():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    error = refusal(PERSON, with_resident_check_digit(f"371122{tomorrow:%Y%m%d}001"))

    assert (error.code, error.message) == ("birth_date", FUTURE_BIRTH_DATE)


def test_it_accepts_an_unknown_county_of_a_known_province_with_a_warning():
    # 379901 is in Shandong (37) but in no table yet, like a newly created division.
    identity = parse_identity(PERSON, with_resident_check_digit("37990119900101001"))

    assert (identity.area_code, identity.area_known) == ("379901", False)
    with translation.override("en"):
        assert [str(warning) for warning in identity.warnings] == [
            str(AREA_UNKNOWN) % {"code": "379901"}
        ]


def test_it_accepts_an_area_code_of_no_province_with_a_warning():
    identity = parse_identity(PERSON, with_resident_check_digit("99990119900101001"))

    assert (identity.area_known, len(identity.warnings)) == (False, 1)


def test_it_warns_about_a_county_code_used_outside_its_years():
    # 莒县 was 372826 until 1992: a number issued with it for a 1999 birth is suspect.
    identity = parse_identity(PERSON, with_resident_check_digit("37282619990101001"))

    assert identity.area_known is False


def test_it_accepts_a_valid_unified_social_credit_code(credit_code):
    identity = parse_identity(ORGANISATION, credit_code)

    assert (identity.kind, identity.number) == (ORGANISATION, credit_code)
    assert (identity.area_code, identity.area_known) == ("371122", True)


def test_it_refuses_a_unified_social_credit_code_with_a_wrong_check_digit(credit_code):
    wrong = credit_code[:-1] + ("0" if credit_code[-1] != "0" else "1")

    error = refusal(ORGANISATION, wrong)

    assert (error.code, error.message) == ("checksum", WRONG_CHECKSUM)


def test_it_refuses_a_unified_social_credit_code_with_a_letter_it_never_uses(credit_code):
    error = refusal(ORGANISATION, credit_code[:10] + "I" + credit_code[11:])

    assert (error.code, error.message) == ("format", ORGANISATION_FORMAT)


def test_it_accepts_a_unified_social_credit_code_of_an_unknown_area_with_a_warning():
    body = "91379901MA3C4K2R7"

    identity = parse_identity(ORGANISATION, body + uscc.calc_check_digit(body))

    assert (identity.area_code, identity.area_known, len(identity.warnings)) == (
        "379901",
        False,
        1,
    )


def test_mask_shows_the_area_and_the_last_four_of_a_resident_identity_number():
    assert mask(PERSON, "37112219800101002X") == "371122********002X"


def test_mask_shows_the_first_eight_and_the_last_four_of_a_credit_code():
    assert mask(ORGANISATION, "91371122MA3C4K2R7R") == "91371122******2R7R"


def test_mask_shows_the_first_two_and_the_last_two_of_any_other_number():
    assert mask(None, "E12345678") == "E1*****78"


def test_mask_of_nothing_is_empty():
    assert (mask(PERSON, ""), mask(None, None)) == ("", "")
