"""Dependency audit for CI: pip-audit over the pinned runtime requirements.

Fails when a known vulnerability is found. When the vulnerability service cannot be reached (this build
machine's network, for instance) nothing is audited: that is said loudly, not passed off as "clean".
"""

import json
import subprocess
import sys

command = [
    sys.executable, "-m", "pip_audit", "-r", "requirements.txt", "--no-deps", "--disable-pip",
    "--vulnerability-service", "pypi", "--progress-spinner", "off", "--format", "json",
]  # fmt: skip
result = subprocess.run(command, capture_output=True, text=True)
try:
    report = json.loads(result.stdout)
except json.JSONDecodeError:
    print(result.stderr or result.stdout)
    sys.exit(f"pip-audit did not produce a report (exit {result.returncode}).")

dependencies = report["dependencies"]
vulnerable = [d for d in dependencies if d.get("vulns")]
audited = [d for d in dependencies if "skip_reason" not in d]
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
if vulnerable:
    sys.exit(f"{len(vulnerable)} pinned dependenc{'y' if len(vulnerable) == 1 else 'ies'} with known vulnerabilities.")
if not audited:
    print(
        f"WARNING: the vulnerability service could not be reached, so none of the {len(dependencies)} pinned "
        "dependencies was audited. Run `.venv/bin/python .ci/audit.py` where pypi.org is reachable."
    )
else:
    skipped = len(dependencies) - len(audited)
    print(f"Dependency audit: {len(audited)} pinned packages checked, no known vulnerabilities ({skipped} skipped).")
