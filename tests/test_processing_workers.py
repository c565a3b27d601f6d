"""Pathological documents are stopped by a per-document time and memory budget in worker
processes; the other documents of the batch still come through."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from conftest import shared_path
from extractors.clean import clean_html
from flows.errors import TerminalError
from flows.processing.workers import WorkerPool
from flows.records import FeedItem, FetchedPage
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


def _item(n: int, summary: str) -> FeedItem:
    return FeedItem(source="wire", article_id=f"a{n}", url=f"https://news.example/{n}", title=f"Story {n}",
                    summary=summary, published=datetime(2026, 11, 24, 7, tzinfo=timezone.utc), entry_hash=f"h{n}")


def test_a_document_over_budget_is_stored_from_the_feed_text_and_the_batch_goes_on(settings_factory):
    """Cleaning and extraction share the per-document budget; a page far over it is stored
    from its feed summary (itself extracted under the budget), with the reason recorded."""
    from flows.processing import batch as steps

    # Ordinary stories take tens of milliseconds, far inside an 8 s budget even on a busy machine;
    # the pathological page takes tens of seconds, far outside it.
    settings = settings_factory(workers=2, document_timeout=8)
    story = ("<html><head><title>Overnight strike</title></head><body><article><h1>Overnight strike</h1>"
             "<p>Russia launched 40 drones and 3 missiles at Kharkiv overnight, the air force said on Tuesday. "
             "Air defences shot down 35 of the drones. Two people were killed in the city.</p>"
             "<p>Emergency crews worked through the night to clear the rubble of the apartment block.</p>"
             "</article></body></html>").encode()
    # 100,000 distinct paragraphs (10 MB): half a minute of cleaning alone on an idle machine
    huge = ("<html><body><article>" + "".join(
        f"<p>Drones hit district {i} of Kharkiv overnight, and {i % 7 + 2} people were injured there, officials said.</p>"
        for i in range(100_000)) + "</article></body></html>").encode()
    try:
        steps.process_jobs([FetchedPage(_item(0, "warm-up"), story, None)], settings)  # workers started
        results = steps.process_jobs([
            FetchedPage(_item(1, "x"), story, None),
            FetchedPage(_item(2, "Russia fired 12 drones at Odesa overnight; 10 were shot down."), huge, None),
            FetchedPage(_item(3, "x"), story, None),
        ], settings)
    finally:
        steps.close_pools()
    ok1, slow, ok3 = results
    for ok in (ok1, ok3):
        assert ok.error is None and ok.article.origin == "page"
        assert ok.facts.is_new_attack_report and ok.facts.attacks[0].weapons
    assert slow.article.origin == "feed" and slow.article.fallback_reason.startswith("document took longer than 8 s")
    assert "used the feed's summary instead" in slow.error.reason
    assert slow.facts.extractor.startswith("newswatch-rules")  # the summary itself was extracted
    assert any(w.launched == 12 for a in slow.facts.attacks for w in a.weapons)


def test_in_process_and_worker_processing_agree(settings_factory):
    """`workers = 0` (no worker processes) gives the same articles and facts as the workers."""
    from flows.processing import batch as steps

    story = ("<html><body><article><h1>Strike on Dnipro</h1><p>Russia fired 12 missiles and 60 drones at Dnipro "
             "overnight; air defences shot down 9 missiles and 51 drones, the air force said. Three people "
             "were injured, regional governor Serhiy Lysak said.</p></article></body></html>").encode()
    jobs = [FetchedPage(_item(n, "summary"), story if n else b"<html><body></body></html>", None) for n in range(2)]
    try:
        remote = steps.process_jobs(jobs, settings_factory(workers=2))
    finally:
        steps.close_pools()
    local = steps.process_jobs(jobs, settings_factory(workers=0))
    assert [(r.article, r.error, r.facts) for r in remote] == [(r.article, r.error, r.facts) for r in local]
    assert local[0].article.origin == "feed" and "no main text" in local[0].error.reason
    assert local[1].facts.attacks and local[1].article.origin == "page"


@pytest.mark.parametrize("workers", [0, 2])
def test_each_finished_document_moves_the_progress_bar(settings_factory, workers):
    """`newswatch run`'s bar advances per article as the workers finish them, not per batch."""
    from flows.processing import batch as steps

    story = b"<html><body><article><h1>Strike</h1><p>Russia fired 12 drones at Odesa overnight.</p></article></body></html>"
    jobs = [FetchedPage(_item(n, "summary"), story, None) for n in range(5)]
    steps_seen: list[int] = []
    try:
        steps.process_jobs(jobs, settings_factory(workers=workers), lambda: steps_seen.append(len(steps_seen)))
    finally:
        steps.close_pools()
    assert steps_seen == [0, 1, 2, 3, 4]
