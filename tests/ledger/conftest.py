"""Ledger fixtures: a treasurer (and a second one for approvals)."""
import pytest


@pytest.fixture
def treasurer(staff):
    return staff("treasurer-1", ["treasurer"])


@pytest.fixture
def second_treasurer(staff):
    return staff("treasurer-2", ["treasurer"])
