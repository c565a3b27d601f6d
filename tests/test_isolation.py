"""Pathological documents are stopped by a per-document time and memory budget in worker
processes; the other documents of the batch still come through."""
from __future__ import annotations

import time

from conftest import shared_path
from extractors.clean import clean_html
from flows.errors import TerminalError
from flows.isolation import WorkerPool
from workloads import behave


def test_hanging_ballooning_and_crashing_documents_are_contained():
    pool = WorkerPool(behave, workers=2, timeout=3, memory_mb=512)
    try:
        start = time.monotonic()
        kinds = ["a", "hang", "b", "balloon", "c", "crash", "d", "raise", "e"]
        results = pool.map([(k,) for k in kinds])
        elapsed = time.monotonic() - start
    finally:
        pool.close()
    by_kind = dict(zip(kinds, results))
    assert [by_kind[k] for k in "abcde"] == [f"ok:{k}" for k in "abcde"]
    assert isinstance(by_kind["hang"], TerminalError) and "longer than 3 s" in str(by_kind["hang"])
    assert isinstance(by_kind["balloon"], TerminalError) and "memory budget" in str(by_kind["balloon"])
    assert isinstance(by_kind["crash"], TerminalError) and "died" in str(by_kind["crash"])
    assert isinstance(by_kind["raise"], ValueError)
    assert elapsed < 60


def test_worker_cleaning_equals_in_process_cleaning():
    pages = sorted(shared_path("realdata", "pages").glob("*.html"))[:6]
    pool = WorkerPool(clean_html, workers=2, timeout=30, memory_mb=1536)
    try:
        remote = pool.map([(p.read_bytes(), None) for p in pages])
    finally:
        pool.close()
    for path, doc in zip(pages, remote):
        local = clean_html(path.read_bytes())
        assert doc == local, path.name
