"""The report in a real browser: headless Chromium (Debian's ``chromium``) loads the page of each
sample, takes a screenshot and reports any console message (script errors, Content-Security-
Policy violations, blocked loads). Skipped where Chromium is not installed; set
``POLICYTEXT_CHROMIUM`` to a browser binary to use another one."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import policytext
from policytext.inputs import iter_inputs
from policytext.report import Report, doc_section
from policytext.report.page import _head, _tail

from test_report import HOSTILE, SAMPLES

CHROMIUM = os.environ.get("POLICYTEXT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM, reason="headless Chromium not installed (apt-get install chromium)")]
SHOTS = os.environ.get("POLICYTEXT_SCREENSHOTS")  # a folder to keep the screenshots in

#: Test-only hook: after load, open every folded page, hover and click the first edit, and write
#: what happened into attributes that --dump-dom shows.
HOOK = """addEventListener("load",function(){document.querySelectorAll("details").forEach(function(d){d.open=true;});
setTimeout(function(){var h=document.documentElement;
h.setAttribute("data-lazy-left",document.querySelectorAll('script[type="text/x-policytext-page"]').length);
var e=document.querySelector(".doc:last-of-type [data-e]");if(e){e.dispatchEvent(new MouseEvent("mouseover",{bubbles:true}));
e.dispatchEvent(new MouseEvent("click",{bubbles:true}));h.setAttribute("data-tip",e.title);
h.setAttribute("data-info",e.closest(".doc").querySelector(".info").textContent);}
h.setAttribute("data-rows",document.querySelectorAll(".r").length);},50);});"""


def _with_hook(page: str) -> str:
    digest = "'sha256-" + base64.b64encode(hashlib.sha256(HOOK.encode()).digest()).decode() + "'"
    assert "script-src " in page
    return page.replace("script-src ", f"script-src {digest} ", 1).replace("</head>", f"<script>{HOOK}</script></head>", 1)


def _command(path: Path, *args: str) -> list[str]:
    return [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--enable-logging=stderr", "--v=0", f"--user-data-dir={path.with_suffix('.profile')}", *args, path.as_uri()]


def _chromium(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(_command(path, *args), capture_output=True, text=True, timeout=120)


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def results():
    return list(policytext.load().pipe(iter_inputs([str(SAMPLES)])))


def test_each_sample_renders_without_console_errors(results, tmp_path):
    """One page per sample, each loaded by its own browser (two at a time)."""
    import matplotlib.image

    assert len(results) == 5
    jobs = []
    for i, result in enumerate(results):
        page = tmp_path / f"sample{i}.html"
        page.write_text(Report(result, view="both").to_page(title=f"sample {i}"), encoding="utf-8")
        jobs.append((page, tmp_path / f"sample{i}.png"))
    running: list[tuple[Path, subprocess.Popen]] = []
    done: list[tuple[Path, str]] = []
    for page, shot in jobs + [(None, None)] * 2:
        if page is not None:
            running.append((shot, subprocess.Popen(_command(page, "--window-size=1280,1600", f"--screenshot={shot}"),
                                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
        if len(running) == 2 or page is None and running:
            shot_, proc = running.pop(0)
            done.append((shot_, proc.communicate(timeout=180)[1]))
    assert len(done) == 5
    for shot, stderr in done:
        assert shot.exists() and shot.stat().st_size > 10_000, stderr[-2000:]
        assert not _console(stderr), _console(stderr)
        pixels = matplotlib.image.imread(shot)[..., :3]
        inked = (pixels.mean(axis=2) < 0.85).mean()
        rgb = (pixels * 255).astype(np.uint32).reshape(-1, 3)
        colours = len(np.unique((rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]))
        assert 0.01 < inked < 0.6 and colours > 30, (shot.name, inked, colours)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(SHOTS) / shot.name)


def test_hostile_text_and_folded_pages_in_the_browser(tmp_path):
    """Hostile text never runs (no script, no handler, no CSP violation); folded pages open;
    tooltips from the JSON table of an edit-heavy document are made on hover."""
    nlp = policytext.load(disable=["dedup", "entities", "themes"])
    hostile = nlp({"text": HOSTILE * 3, "id": '"><script>alert(1)</script>'})
    heavy = nlp("\n\n".join(f"第{i}段。" + (SAMPLES / "press_release_traditional.txt").read_text(encoding="utf-8")
                              for i in range(8)))
    html = (_head("</title><script>alert(2)</script>")
            + doc_section(hostile, 0, "both", page_chars=200, lazy=True)
            + doc_section(heavy, 1, "both", page_chars=500, lazy=True, inline_tips=False) + _tail())
    page = tmp_path / "hostile.html"
    page.write_text(_with_hook(html), encoding="utf-8")
    run = _chromium(page, "--virtual-time-budget=5000", "--dump-dom")
    assert not _console(run.stderr), _console(run.stderr)
    root = re.search(r"<html[^>]*>", run.stdout).group(0)
    assert "data-pwned" not in root
    assert 'data-lazy-left="0"' in root
    tip = re.search(r'data-tip="([^"]*)"', root).group(1)
    assert re.match(r"edit \d+: \w+ · \w+", tip) and "raw " in tip
    assert re.search(r'data-info="edit \d+', root)
    assert int(re.search(r'data-rows="(\d+)"', root).group(1)) > 20
