"""The xlarge org, for benchmarks only (scripts/bench_search.py): ten times large, with the
promised counts and what makes it searchable (unique extensions and emails)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from dialpad_sim.generate import SIZES, generate

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # about five seconds to generate


@pytest.fixture(scope="module")
def xlarge():
    return generate("xlarge", seed=1)


PROMISED = {"offices": 2000, "departments": 10000, "callcenters": 5000, "rooms": 20000,
            "users": 100000, "numbers": 150000}


def test_the_xlarge_org_has_the_promised_counts(xlarge):
    counts = xlarge.counts()

    assert {name: counts[name] for name in PROMISED} == PROMISED
    assert 0 < counts["numbers_available"] < counts["numbers"]


def test_the_xlarge_org_is_ten_large_orgs_in_every_kind():
    assert {name: count / SIZES["large"][name] for name, count in PROMISED.items()} == {
        name: 10 for name in PROMISED}


def test_every_xlarge_user_has_an_extension_of_their_own(xlarge):
    extensions = [user["extension"] for user in xlarge.users.values()]

    assert len(set(extensions)) == len(extensions) == 100000


def test_every_xlarge_user_has_an_email_of_their_own(xlarge):
    emails = [email for user in xlarge.users.values() for email in user["emails"]]

    assert len(set(emails)) == len(emails) == 100000


def test_the_simulator_serves_the_xlarge_org():
    proc = subprocess.Popen(
        [sys.executable, "-m", "dialpad_sim", "serve", "--port", "0", "--org", "xlarge"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        url = proc.stdout.readline().split(" on ", 1)[1].split(" ", 1)[0]
        assert proc.stdout.readline().startswith("Org generated in ")

        company = requests.get(f"{url}/api/v2/company",
                               headers={"Authorization": "Bearer sim-key"}, timeout=5).json()
        assert company["name"] == "Initech Worldwide"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
