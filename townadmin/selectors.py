"""Reads of the core app used by several views, the API and the services."""

from dataclasses import dataclass

from django.db.models import Q, Sum

from townadmin.choices import QuotaKind
from townadmin.models import County, Posting, StaffingQuota


@dataclass(frozen=True)
class StaffingTotals:
    """One kind of posts in a county: its total, and what its units hold of it."""

    total: int
    approved: int
    filled: int

    @property
    def vacant_in_county(self) -> int:
        """Posts of the total not yet approved to any unit."""
        return self.total - self.approved


def county_staffing(county: County) -> dict[str, StaffingTotals]:
    """Per quota kind, the county's total and its units' approved and filled posts (one query)."""
    sums = StaffingQuota.objects.filter(department__county=county).aggregate(
        **{
            f"{kind}_{column}": Sum(column, filter=Q(kind=kind), default=0)
            for kind in QuotaKind.values
            for column in ("approved", "filled")
        }
    )
    totals = {
        QuotaKind.ADMINISTRATIVE: county.administrative_posts_total,
        QuotaKind.INSTITUTIONAL: county.institutional_posts_total,
    }
    return {
        kind: StaffingTotals(
            total=totals[kind],
            approved=sums[f"{kind}_approved"],
            filled=sums[f"{kind}_filled"],
        )
        for kind in QuotaKind
    }


def postings_of(user):
    """``user``'s postings, newest first, with their unit, town and county loaded."""
    return (
        Posting.objects.filter(user=user)
        .select_related("department__county", "town")
        .order_by("-valid_from", "pk")
    )
