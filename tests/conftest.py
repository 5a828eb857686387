"""Shared fixtures: paths to the shared samples and corpora (tests skip when they are absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_samples() -> Path:
    path = SHARED / "samples"
    if not path.is_dir():
        pytest.skip("../shared/samples is not available")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip("../shared/data is not available")
    return path


# ----- fuzzing budget (tests/test_fuzz.py) -----------------------------------------------------
#: Examples per fuzz test in CI: small, and derandomized (a fixed seed), so the suite stays fast
#: and repeatable. ``pytest tests/test_fuzz.py --fuzz-examples 20000`` runs a larger, random search.
FUZZ_EXAMPLES_CI = 12


def pytest_addoption(parser):
    parser.addoption("--fuzz-examples", type=int, default=None, metavar="N",
                     help=f"examples per fuzz test in tests/test_fuzz.py (default {FUZZ_EXAMPLES_CI}, "
                     "derandomized; with N the search is random)")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "browser: needs headless Chromium (skipped where it is not installed)")
    from hypothesis import HealthCheck, settings

    n = config.getoption("--fuzz-examples")
    settings.register_profile(
        "policytext-fuzz",
        max_examples=n or FUZZ_EXAMPLES_CI,
        derandomize=n is None,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )
