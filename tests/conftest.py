"""Shared test setup: make the committed generated SDK (`flex_client`) importable.

The SDK is not installed into the venv; its folder is put at the front of `sys.path`, computed
relative to this file so the suite works from any checkout location.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GENERATED_PYTHON_PYDANTIC = REPO_ROOT / "generated" / "python-pydantic"

_entry = str(GENERATED_PYTHON_PYDANTIC)
if _entry in sys.path:
    sys.path.remove(_entry)
sys.path.insert(0, _entry)
