"""The evaluation commands need the repository's corpora/ and ../shared/data: a missing file stops
them with one line naming it, and the wheel leaves policytext.evaluation out (issue #22)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policytext.evaluation._data import CORPORA, MissingEvaluationData, require, run

tomllib = pytest.importorskip("tomllib") if sys.version_info >= (3, 11) else None

REPO = Path(__file__).resolve().parents[1]


def test_require_names_the_missing_path_and_where_it_comes_from(tmp_path):
    with pytest.raises(MissingEvaluationData, match="claims gold set not found: .*nope.jsonl.*checkout"):
        require(CORPORA / "claims" / "nope.jsonl", "claims gold set")
    with pytest.raises(MissingEvaluationData, match="shared/data"):
        require(tmp_path / "absent", "web pages")
    assert require(tmp_path, "a folder") == tmp_path


def test_run_turns_missing_data_into_exit_status_2(capsys, tmp_path):
    def main() -> int:
        require(tmp_path / "absent.tsv", "labels")
        return 0

    assert run(main) == 2
    assert "error: labels not found:" in capsys.readouterr().err


def test_evaluation_command_with_a_missing_gold_file_says_so(tmp_path):
    out = subprocess.run([sys.executable, "-m", "policytext.evaluation.claims", "--gold", str(tmp_path / "g.jsonl"),
                          "--no-rt"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 2 and "claims gold set not found" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.skipif(tomllib is None, reason="tomllib is Python 3.11+")
def test_wheel_leaves_the_evaluation_package_out():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "policytext/evaluation" in config["tool"]["hatch"]["build"]["targets"]["wheel"]["exclude"]
