"""Without Chromium the browser tests are skipped with the reason (outside CI) or fail (on
CI). Each case runs one browser test in a pytest of its own, pointed at a missing binary."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BROWSER_TEST = "tests/e2e/test_foundation.py::test_sign_out_returns_to_the_login_page"


def run_browser_test(**environment) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        # Its own embedded database: never the test database of this run.
        if key not in ("DATABASE_URL", "REDIS_URL", "CI") and not key.startswith("PYTEST_")
    }
    env.update(environment, E2E_CHROMIUM=str(ROOT / "no-such-chromium"))
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "pytest", BROWSER_TEST, "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_outside_ci_the_browser_tests_are_skipped_with_the_reason():
    result = run_browser_test()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "Chromium is not installed" in result.stdout  # the reason, in the summary


def test_on_ci_a_missing_chromium_fails():
    result = run_browser_test(CI="true")

    assert result.returncode != 0
    assert "skipped" not in result.stdout
    assert "Chromium is not installed and CI is set" in result.stdout
