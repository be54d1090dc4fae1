"""Celery jobs of the service hall: each calls a sweep and returns what it changed."""

import dataclasses

from celery import shared_task

from servicecenter.supervision import applications_sweep, rectifications_sweep


@shared_task
def sweep_applications():
    """Card accepted applications near or past a due date (beat runs it hourly; idempotent)."""
    return dataclasses.asdict(applications_sweep())


@shared_task
def sweep_rectifications():
    """Card rectifications of bad ratings whose call-back or fix is due (hourly; idempotent)."""
    return dataclasses.asdict(rectifications_sweep())
