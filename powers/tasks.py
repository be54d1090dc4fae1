"""Celery jobs of the powers app: each calls a service and returns what it changed."""

import dataclasses

from celery import shared_task

from powers.services.register import entrustment_renewals_sweep


@shared_task
def sweep_entrustment_renewals():
    """Card entrustments whose renewal is due or overdue (beat runs it daily; idempotent)."""
    return dataclasses.asdict(entrustment_renewals_sweep())
