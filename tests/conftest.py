"""Shared fixtures. Personas per town arrive with the jurisdiction models (issue #3)."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from townadmin.demo import DEMO_PASSWORD


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def demo_data(db):
    """The quickstart's demo data, loaded the same way ``make run`` loads it."""
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def demo_password():
    return DEMO_PASSWORD
