"""Run each atheris harness in fuzz/ for a bounded time: no crash, no hang, no failure.

The three run side by side, FRONTWATCH_FUZZ_SECONDS each (default 15), on a copy of
the seed corpus so the checkout is not written to. A longer run is documented in the
README ("Bad input"); a crash there leaves a crash-* file to reproduce it with.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "fuzz"
SECONDS = int(os.environ.get("FRONTWATCH_FUZZ_SECONDS", "15"))
# harness -> seed corpus
HARNESSES = {
    "fuzz_ingest.py": "ingest",
    "fuzz_text.py": "text",
    "fuzz_pipeline.py": "text",
}
DONE_RE = re.compile(r"Done (\d+) runs in (\d+) second")

pytest.importorskip("atheris")
pytestmark = pytest.mark.slow


def test_harnesses_run_clean(tmp_path: Path) -> None:
    running: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}
    for harness, corpus in HARNESSES.items():
        work = tmp_path / harness.removesuffix(".py")
        shutil.copytree(FUZZ / "corpus" / corpus, work / "corpus")
        out = work / "output.txt"
        with out.open("wb") as fh:
            proc = subprocess.Popen(
                [sys.executable, str(FUZZ / harness), str(work / "corpus"),
                 f"-max_total_time={SECONDS}", "-timeout=30", "-rss_limit_mb=3072",
                 f"-artifact_prefix={work}/", "-print_final_stats=1"],
                cwd=work, stdout=fh, stderr=subprocess.STDOUT,
            )
        running[harness] = (proc, out)
    failures = []
    for harness, (proc, out) in running.items():
        # Loading spaCy or the gazetteer comes on top of the fuzzing time.
        code = proc.wait(timeout=SECONDS + 120)
        text = out.read_text(errors="replace")
        done = DONE_RE.search(text)
        crashes = sorted(p.name for p in out.parent.glob("crash-*"))
        crashes += sorted(p.name for p in out.parent.glob("timeout-*"))
        if code != 0 or crashes or done is None or int(done.group(1)) == 0:
            failures.append(f"{harness}: exit {code}, artifacts {crashes}\n{text[-3000:]}")
        else:
            log.info("%s: %s runs in %s s, no crash", harness, done.group(1), done.group(2))
    assert not failures, "\n\n".join(failures)
