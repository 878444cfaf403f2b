"""`make audit`: pip-audit over the hash-pinned requirements.lock, judged sensibly.

    .venv/bin/python .ci/audit.py [requirements.lock]

pip-audit asks a vulnerability service (PyPI's JSON API by default) about each pinned
version. Its exit status cannot tell "no known vulnerabilities" from "the service could
not be asked": a package it cannot look up is skipped, and a run that skipped every
package still says "No known vulnerabilities found". This wrapper reads its JSON report
and decides:

  exit 1  a pinned version has a known vulnerability (each is listed with its fixes);
  exit 0  every package was audited and none is vulnerable;
  exit 0  the service was unreachable or answered for too few packages: the audit is
          INCONCLUSIVE and says so loudly. A third party's outage must not fail CI;
          set FRONTWATCH_AUDIT_STRICT=1 to make it fail (exit 2) where it should not
          happen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIP_AUDIT = ROOT / ".venv" / "bin" / "pip-audit"
# Fewer audited than this share of the packages: the service, not the pins, is at fault.
MIN_AUDITED = 0.9


def run(lock: Path) -> tuple[int, dict[str, object] | None, str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        proc = subprocess.run(
            [str(PIP_AUDIT), "-r", str(lock), "--require-hashes", "--disable-pip",
             "--progress-spinner", "off", "--timeout", "30", "-f", "json", "-o", str(out)],
            capture_output=True, text=True, timeout=900,
        )
        report = json.loads(out.read_text()) if out.is_file() and out.stat().st_size else None
    return proc.returncode, report, proc.stderr.strip()


def judge(report: dict[str, object]) -> tuple[int, list[str]]:
    """(exit status, lines to print) for a pip-audit JSON report."""
    deps = report.get("dependencies")
    assert isinstance(deps, list)
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if "skip_reason" in d]
    audited = len(deps) - len(skipped)
    lines = []
    for d in vulnerable:
        for v in d["vulns"]:
            fixes = ", ".join(v.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"VULNERABLE {d['name']}=={d['version']}: {v['id']} "
                         f"(fixed in: {fixes})")
    if vulnerable:
        lines.append(f"pip-audit: {len(vulnerable)} vulnerable pin(s) in requirements.lock; "
                     "upgrade them (`make lock`) and re-run")
        return 1, lines
    if not deps or audited < MIN_AUDITED * len(deps):
        reasons = sorted({str(d["skip_reason"]).split(":")[0] for d in skipped})
        lines.append(f"pip-audit INCONCLUSIVE: only {audited} of {len(deps)} pinned packages "
                     f"could be looked up ({'; '.join(reasons) or 'no packages'}): the "
                     "vulnerability service is unreachable or incomplete from here")
        return (2 if os.environ.get("FRONTWATCH_AUDIT_STRICT") == "1" else 0), lines
    for d in skipped:
        lines.append(f"skipped {d['name']}: {d['skip_reason']}")
    lines.append(f"pip-audit: {audited} pinned packages audited, no known vulnerabilities")
    return 0, lines


def main() -> int:
    lock = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "requirements.lock"
    if not PIP_AUDIT.exists():
        print(f"{PIP_AUDIT} missing: `make install` (pip-audit is a dev dependency)")
        return 2
    code, report, err = run(lock)
    if report is None:
        print(f"pip-audit INCONCLUSIVE: it produced no report (exit {code}): {err[-500:]}")
        return 2 if os.environ.get("FRONTWATCH_AUDIT_STRICT") == "1" else 0
    status, lines = judge(report)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
