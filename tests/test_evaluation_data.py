"""The evaluation commands need the repository's corpora/ and ../shared/data: a missing file stops
them with one line naming it, and the wheel leaves policytext.evaluation out (issue #22)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policytext.evaluation._data import CORPORA, MissingEvaluationData, require, run
from policytext.errors import fields_of

tomllib = pytest.importorskip("tomllib") if sys.version_info >= (3, 11) else None

REPO = Path(__file__).resolve().parents[1]


def test_require_names_the_missing_path_and_where_it_comes_from(tmp_path):
    with pytest.raises(MissingEvaluationData, match=r"^\[E701\] ") as info:
        require(CORPORA / "claims" / "nope.jsonl", "claims gold set")
    fields = fields_of(str(info.value))
    assert fields["what"] == "claims gold set" and fields["path"].endswith("nope.jsonl") and "checkout" in fields["where"]
    with pytest.raises(MissingEvaluationData, match=r"^\[E701\] ") as info:
        require(tmp_path / "absent", "web pages")
    assert "shared/data" in fields_of(str(info.value))["where"]
    assert require(tmp_path, "a folder") == tmp_path


def test_run_turns_missing_data_into_exit_status_2(capsys, tmp_path):
    def main() -> int:
        require(tmp_path / "absent.tsv", "labels")
        return 0

    assert run(main) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: [E701] ") and fields_of(err[len("error: "):].strip())["what"] == "labels"


def test_evaluation_command_with_a_missing_gold_file_says_so(tmp_path):
    out = subprocess.run([sys.executable, "-m", "policytext.evaluation.claims", "--gold", str(tmp_path / "g.jsonl"),
                          "--no-rt"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 2 and "error: [E701] " in out.stderr and "Traceback" not in out.stderr


@pytest.mark.skipif(tomllib is None, reason="tomllib is Python 3.11+")
def test_wheel_leaves_the_evaluation_package_out():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "policytext/evaluation" in config["tool"]["hatch"]["build"]["targets"]["wheel"]["exclude"]
