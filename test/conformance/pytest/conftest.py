"""Fixtures and the results file for the conformance suite.

The server address comes from MILVUS_CONFORMANCE_URI (the jest harness starts a stand-in on port 0).
Cases listed in ../excluded-cases.json are skipped with their reason. Every case's outcome is
written to the JSON file named by CONFORMANCE_RESULTS, keyed "UpstreamClass::case[param]".
"""
import json
import os
from pathlib import Path

import pytest

from snapshot_steps import Steps

EXCLUDED = json.loads((Path(__file__).parent.parent / "excluded-cases.json").read_text())


def case_key(nodeid):
    """'test_x.py::TestClass::test_case[p]' -> 'TestClass::test_case[p]' (the upstream case id)."""
    return nodeid.split("::", 1)[1]


def pytest_collection_modifyitems(items):
    for item in items:
        reason = EXCLUDED.get(case_key(item.nodeid))
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


_results = {}


def pytest_runtest_logreport(report):
    key = case_key(report.nodeid)
    entry = _results.setdefault(key, {"outcome": "passed", "seconds": 0.0, "message": ""})
    entry["seconds"] += report.duration
    # A case fails if any phase fails; a skip (excluded case) is reported from its setup phase.
    if report.failed:
        crash = getattr(report.longrepr, "reprcrash", None)
        detail = crash.message if crash else report.longreprtext[-2000:]
        entry["outcome"] = "failed"
        entry["message"] = (entry["message"] + f" [{report.when}] {detail}").strip()
    elif report.skipped and entry["outcome"] != "failed":
        entry["outcome"] = "skipped"
        entry["message"] = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else ""


def pytest_sessionfinish(session):
    target = os.environ.get("CONFORMANCE_RESULTS")
    if target:
        Path(target).write_text(json.dumps(_results, indent=1, sort_keys=True))


@pytest.fixture
def steps(request):
    """One case's client and the collections/databases it made (dropped afterwards, as upstream's teardown)."""
    case = Steps(os.environ["MILVUS_CONFORMANCE_URI"], request.node.originalname)
    yield case
    case.teardown()
