"""Fictional residents of a demo county: applicants, parties to cases, reporters of events.

Names are drawn from common surnames and given-name characters; identity numbers are
valid resident identity numbers (GB 11643) of the county: its 6-digit division code,
the birth date, an order code (odd for men, even for women) and the check digit.
The same county, count and seed always give the same people, so tests and screenshots
stay stable.
"""

import datetime
import random
from typing import NamedTuple

from stdnum.cn import ric

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
)
# The first names are the most common, so they are drawn more often (as in life).
SURNAME_WEIGHTS = [max(1, 40 - index) for index in range(len(SURNAMES))]
MALE_CHARACTERS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林建国志文海东峰成庆玉春振"
FEMALE_CHARACTERS = "芳娜敏静丽艳娟霞燕玲桂英红梅琳雪婷倩慧颖佳欣悦琪晶莉萍兰凤洁秀云玉春华月"

MALE = "male"
FEMALE = "female"

# Adults only; a fixed last year keeps the list independent of today's date.
LAST_BIRTH_YEAR = 2006
FIRST_BIRTH_YEAR = 1940


class Resident(NamedTuple):
    name: str
    gender: str  # MALE or FEMALE
    birth_date: datetime.date
    identity_number: str


def identity_number(county_code, birth_date, order):
    """The 18-digit number for a county code, birth date and 3-digit order code."""
    body = f"{county_code}{birth_date:%Y%m%d}{order:03d}"
    # calc_check_digit expects the number with a check digit in place; any digit will do.
    return body + ric.calc_check_digit(body + "0")


def birth_years(county_code):
    """Years in which the county code was in use, so numbers issued then are valid.

    A county code belongs to the division that existed when the number was assigned
    (莒县 has 371122 since 1992; before that it was 372826), and python-stdnum checks it.
    """
    years = [
        year
        for year in range(FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR + 1)
        if ric.is_valid(identity_number(county_code, datetime.date(year, 7, 1), 1))
    ]
    if not years:
        raise ValueError(f"{county_code} is not a county code a resident could be born under.")
    return years


def _name(rng, gender):
    characters = MALE_CHARACTERS if gender == MALE else FEMALE_CHARACTERS
    surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    return surname + "".join(rng.choice(characters) for _ in range(rng.choice((1, 2, 2))))


def fictional_residents(county_code, count, seed):
    """Return ``count`` distinct fictional residents of the county, the same for the same seed."""
    rng = random.Random(f"{county_code}:{seed}")
    years = birth_years(county_code)
    residents = []
    numbers = set()
    while len(residents) < count:
        gender = rng.choice((MALE, FEMALE))
        year = rng.choice(years)
        birth_date = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        # Odd order codes are men's, even ones women's (GB 11643).
        order = rng.randrange(1 if gender == MALE else 2, 1000, 2)
        number = identity_number(county_code, birth_date, order)
        if number in numbers:
            continue
        numbers.add(number)
        residents.append(Resident(_name(rng, gender), gender, birth_date, number))
    return residents
