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


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "browser: needs headless Chromium (skipped where it is not installed)")
