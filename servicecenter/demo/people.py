"""Who takes part in a town's demo: its staff, found by their reach, and fictional
applicants (residents with valid identity numbers, organisations with valid credit codes)."""

from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from stdnum.cn import uscc

from powers.selectors import reach_holders
from townadmin.demo_people import fictional_residents
from townadmin.models import User

ORG_WORDS = "鑫源恒达丰收福瑞宏远金穗兴旺诚信顺发绿野佳禾华美"
# (name suffix, entity type of the credit code: 1 enterprise, 2 sole trader, 3 co-operative)
ORG_KINDS = (
    ("商贸有限公司", "1"),
    ("建筑工程有限公司", "1"),
    ("食品店", "2"),
    ("超市", "2"),
    ("饭店", "2"),
    ("农机专业合作社", "3"),
)


class Cast(NamedTuple):
    """Who does what in a town's demo: found by their reach, as a real hall's staff."""

    clerk: User
    approver: User
    agent: User | None
    leader: User | None
    reviewer: User | None
    deriver: User


def cast_of(town):
    def holder(reach, permission=None):
        users = reach_holders(town, reach, permission=permission).filter(is_superuser=False)
        return users.first()

    clerk, approver = holder("handle_application"), holder("approve_application")
    if clerk is None or approver is None:
        raise ImproperlyConfigured("Run townadmin.demo.seed_users() before seed_service_hall().")
    leader = holder("lead_town", "servicecenter.approve_extension")
    # A town without a demo leader (尚村镇) has its items derived by the administrator.
    deriver = leader or User.objects.filter(is_superuser=True, is_active=True).order_by("pk")[0]
    reviewer = holder("review_reform", "servicecenter.decide_appeal")
    return Cast(clerk, approver, holder("file_as_agent"), leader, reviewer, deriver)


def credit_code(area_code, entity_type, rng):
    """A valid unified social credit code (GB 32100) registered by market regulation (9)
    in ``area_code``: the organisation code carries its own GB 11714 check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    number = f"9{entity_type}{area_code}{body}{ {10: 'X', 11: '0'}.get(check, check) }"
    return number + uscc.calc_check_digit(number)


def phone_number(rng):
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


def applicants(town, rng):
    """(persons, organisations) as intake takes them; a fifth of the people give no phone."""
    residents = fictional_residents(town.county.code, 240, seed="service-hall")
    persons = [
        {
            "type": "person",
            "name": r.name,
            "id_number": r.identity_number,
            "phone": phone_number(rng) if rng.random() < 0.8 else "",
        }
        for r in residents
    ]
    organisations = []
    for index, (suffix, entity_type) in enumerate(ORG_KINDS * 2):
        word = ORG_WORDS[(index * 5) % len(ORG_WORDS) : (index * 5) % len(ORG_WORDS) + 2]
        place = town.county.name if entity_type == "1" else town.name
        organisations.append(
            {
                "type": "organisation",
                "name": f"{place}{word}{suffix}",
                "id_number": credit_code(town.county.code, entity_type, rng),
                "phone": phone_number(rng),
            }
        )
    return persons, organisations
