"""Imported once by the worker processes' fork server (`flows.processing.workers`): every worker then
inherits trafilatura and a built default pipeline instead of building its own."""
from __future__ import annotations

import trafilatura  # noqa: F401 - imported for its side effect: loaded before the workers fork

from extractors.extract import shared_extractor

shared_extractor("blank")
