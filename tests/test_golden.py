"""Today's outputs equal the pinned ones (tests/golden.py says what is pinned and how to record).

A refactor must not change what the analyst and the clerks see; a deliberate change is recorded
again with ``python tests/golden.py --write`` and named in the commit.
"""

from __future__ import annotations

import json

import golden
import pytest

KEYS = sorted(p.stem for p in golden.GOLDEN.glob("*.json"))


@pytest.fixture(scope="module")
def today(tmp_path_factory, request):
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(golden.ROOT)
    try:
        yield golden.outputs(tmp_path_factory.mktemp("golden"))
    finally:
        monkeypatch.undo()


def test_every_output_is_pinned(today):
    assert sorted(today) == KEYS


@pytest.mark.parametrize("key", KEYS)
def test_output_is_unchanged(today, key):
    pinned = json.loads((golden.GOLDEN / f"{key}.json").read_text(encoding="utf-8"))
    assert today[key] == pinned, f"{key} changed: if deliberate, run `python tests/golden.py --write`"
