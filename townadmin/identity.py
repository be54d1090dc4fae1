"""Identity numbers of applicants: validation, normalisation and masking.

A person applies with a resident identity number (GB 11643), an organisation with a
unified social credit code (GB 32100). python-stdnum computes the check digits; this
module adds what the service hall needs around them: input as clerks type it (full-width
digits, spaces), one localized message per failure, and an area code that the table does
not know treated as a warning rather than a refusal (DESIGN.md section 8).

After entry a number is shown masked (``mask``) everywhere except where a permission, a
reason and an audit record allow the full number.
"""

import operator
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat
from stdnum.util import isdigits

LENGTH = 18

REQUIRED = _("Enter the identity number.")
WRONG_LENGTH = _("An identity number has 18 characters; this one has %(length)d.")
RESIDENT_FORMAT = _("A resident identity number is 17 digits followed by a digit or the letter X.")
ORGANISATION_FORMAT = _(
    "A unified social credit code is 8 digits followed by digits and capital letters "
    "other than I, O, S, V and Z."
)
WRONG_CHECKSUM = _("The check digit does not match: a character was probably mistyped.")
INVALID_BIRTH_DATE = _("The birth date in the resident identity number is not a valid date.")
FUTURE_BIRTH_DATE = _("The birth date in the resident identity number is in the future.")
UNKNOWN_KIND = _("Choose whether the applicant is a person or an organisation.")
AREA_UNKNOWN = _(
    "Area code %(code)s is not in the table of administrative divisions; "
    "compare the number with the certificate."
)

# GB 11643 numbers were first issued in 1999; nobody living then was born before 1900,
# so an earlier year is a mistyped date, not an old applicant.
EARLIEST_BIRTH_YEAR = 1900


class ApplicantType(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


@dataclass(frozen=True)
class IdentityNumber:
    kind: ApplicantType
    number: str
    area_code: str
    area_known: bool
    warnings: tuple = ()


# The warning is formatted when it is displayed, in the reader's language, not when
# the number is parsed (a plain ``%`` on a lazy string would translate it right away).
_format_lazy_percent = lazy(operator.mod, str)


def normalise(raw):
    """The number as typed, in the form it is stored and compared in.

    NFKC turns full-width digits and letters (common with Chinese input methods) and the
    ideographic space into their ASCII forms before the spaces are removed.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split()).upper()


def parse_identity(kind, raw):
    """Validate ``raw`` as an identity number of ``kind``; raise ``ValidationError`` if invalid."""
    if kind not in ApplicantType.values:
        raise ValidationError(UNKNOWN_KIND, code="kind")
    kind = ApplicantType(kind)
    number = normalise(raw)
    if not number:
        raise ValidationError(REQUIRED, code="required")
    if len(number) != LENGTH:
        raise ValidationError(WRONG_LENGTH, code="length", params={"length": len(number)})
    if kind == ApplicantType.PERSON:
        area_code, area_known = _check_resident(number)
    else:
        area_code, area_known = _check_organisation(number)
    warnings = () if area_known else (_format_lazy_percent(AREA_UNKNOWN, {"code": area_code}),)
    return IdentityNumber(kind, number, area_code, area_known, warnings)


def _check_resident(number):
    # Not ric.validate: it refuses an area code its table lacks (and python-stdnum 2.2
    # raises KeyError for an unknown county of a known province), while the hall must
    # accept a new or renamed division and only warn about it.
    if not isdigits(number[:-1]) or number[-1] not in "0123456789X":
        raise ValidationError(RESIDENT_FORMAT, code="format")
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(WRONG_CHECKSUM, code="checksum")
    try:
        birth_date = ric.get_birth_date(number)
    except InvalidComponent:
        raise ValidationError(INVALID_BIRTH_DATE, code="birth_date") from None
    if birth_date.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(INVALID_BIRTH_DATE, code="birth_date")
    if birth_date > timezone.localdate():
        raise ValidationError(FUTURE_BIRTH_DATE, code="birth_date")
    area_code = number[:6]
    try:
        # Also checks that the division existed in the birth year (莒县 is 372826 before
        # 1992 and 371122 since).
        ric.get_birth_place(number)
    except (InvalidComponent, KeyError):
        return area_code, False
    return area_code, True


def _check_organisation(number):
    try:
        uscc.validate(number)
    except InvalidFormat:
        raise ValidationError(ORGANISATION_FORMAT, code="format") from None
    except InvalidChecksum:
        raise ValidationError(WRONG_CHECKSUM, code="checksum") from None
    # uscc.validate does not look at the area; the same table as for resident numbers
    # does, in any year: an organisation keeps its code when its division is renamed.
    area_code = number[2:8]
    parts = numdb.get("cn/loc").info(area_code)
    return area_code, any("county" in properties for _part, properties in parts)


# Characters shown at each end of a masked number: the area (and for a credit code the
# registering authority and entity type) stays readable so clerks can tell numbers apart.
MASK_KEEP = {
    ApplicantType.PERSON: (6, 4),
    ApplicantType.ORGANISATION: (8, 4),
}
MASK_KEEP_OTHER = (2, 2)


def mask(kind, number):
    """``number`` for display: the middle replaced by ``*``, the length kept."""
    number = (number or "").strip()
    head, tail = MASK_KEEP.get(kind, MASK_KEEP_OTHER)
    if len(number) <= head + tail:
        head, tail = MASK_KEEP_OTHER
    if len(number) <= head + tail:
        # Too short to show both ends without showing all of it.
        return "*" * len(number)
    return number[:head] + "*" * (len(number) - head - tail) + number[-tail:]
