"""Cleaning and extraction of a batch, in worker processes with a budget per document."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from extractors.extract import shared_extractor
from extractors.types import Article, Facts
from flows.errors import reason_of
from flows.processing.articles import page_article
from flows.processing.workers import WorkerPool, call_guarded
from flows.records import FetchedPage, Job, Processed
from flows.settings import Settings
from storage.records import ErrorClass, ErrorRecord


def process_job(job: Job, model: str) -> Processed:
    """Clean (a page) and extract one document: in a worker process, or in the run's own."""
    article, error = page_article(job) if isinstance(job, FetchedPage) else (job, None)
    if article is None:
        return Processed(None, error)
    facts = next(shared_extractor(model).extract([article.as_document()]))
    return Processed(article, error, facts)


_POOLS: dict[tuple, WorkerPool] = {}


def process_jobs(jobs: Sequence[Job], settings: Settings, on_done: Callable[[], None] | None = None) -> list[Processed]:
    """Clean and extract a batch, in `workers` processes (each document within its time and
    memory budget) or in this process when `workers` is 0.

    A page stopped over its budget (or whose worker died) is stored from the feed's own text,
    itself extracted under the same budget; an article whose extraction is stopped is stored
    without facts and marked so that `newswatch reextract` tries it again. `on_done` is called
    as each document is finished.
    """
    results = _run(list(jobs), settings, on_done)
    retry = {}
    for i, (job, result) in enumerate(zip(jobs, results)):
        if isinstance(result, Processed):
            continue
        if isinstance(job, FetchedPage):
            article, error = page_article(job, failure=result)
            results[i] = Processed(None, error)
            if article is not None:
                retry[i] = article
        else:
            results[i] = _unextracted(job, result, None)
    if retry:
        for (i, article), result in zip(retry.items(), _run(list(retry.values()), settings)):
            earlier = results[i].error
            results[i] = replace(result, error=earlier) if isinstance(result, Processed) else _unextracted(article, result, earlier)
    return results


def _run(jobs: list[Job], settings: Settings, on_done: Callable[[], None] | None = None) -> list:
    if not jobs:
        return []
    args = [(job, settings.spacy_model) for job in jobs]
    if not settings.workers:
        results = []
        for arg in args:
            results.append(call_guarded(process_job, arg))
            if on_done:
                on_done()
        return results
    key = (settings.workers, settings.document_timeout, settings.document_memory_mb)
    pool = _POOLS.get(key) or _POOLS.setdefault(key, WorkerPool(
        process_job, settings.workers, settings.document_timeout, settings.document_memory_mb))
    return pool.map(args, on_done)


def _unextracted(article: Article, failure: BaseException, earlier: ErrorRecord | None) -> Processed:
    """An article kept without facts: its extraction failed or went over budget."""
    reason = f"extraction stopped: {reason_of(failure)}"
    error = ErrorRecord("extract", reason, ErrorClass.TERMINAL, article.source, article.url)
    if earlier is not None:
        error = replace(error, reason=f"{earlier.reason}; then {reason}")
    facts = Facts(doc_id=article.id, is_new_attack_report=False, extractor=f"none ({reason})"[:200])
    return Processed(article, error, facts)


def close_pools() -> None:
    while _POOLS:
        _POOLS.popitem()[1].close()
