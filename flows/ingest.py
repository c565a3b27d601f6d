"""The `ingest` Prefect flow: one poll cycle, sources -> fetch -> clean -> extract -> store.

Tasks are coarse (one per feed, one per batch stage); per-article work is plain function calls
in `flows.sources` and `flows.processing`. Only transient errors are retried.
"""
from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.utilities.annotations import quote

from flows import clock, preflight
from flows.cli import progress
from flows.errors import PipelineError, error_class, is_transient, reason_of
from flows.processing import articles, batch
from flows.records import FeedItem, FeedPoll, FetchedPage, RunSummary
from flows.settings import ConfigError, FeedSpec, Settings, load_settings
from flows.sources import polling, seeds
from storage.records import BatchCounts, ErrorClass, ErrorRecord, SourceState, StorageFailed
from storage.run_storage import RunStorage


def retry_transient(task_, task_run, state) -> bool:
    """Prefect retry condition: retry what `flows.errors` calls transient; nothing else."""
    exc = state.data if isinstance(state.data, BaseException) else None
    if exc is None:
        try:
            exc = state.result(raise_on_failure=False)
        except Exception:  # noqa: BLE001 - an unreadable state is not worth a retry
            return False
    return is_transient(exc) if isinstance(exc, BaseException) else False


@task(name="poll-feed", task_run_name="poll-{spec.name}", retry_condition_fn=retry_transient, cache_policy=NO_CACHE)
def poll_feed(spec: FeedSpec, state: SourceState | None, settings: Settings) -> FeedPoll:
    return polling.poll_feed(spec, state, settings)


class Handoff:
    """A batch passed from one task to the next, emptied once taken.

    Prefect keeps every task result of a flow run in memory until the run ends (to track
    dependencies), so a run returning its batches directly would hold every page and article it
    processed. Results travel in this holder instead; only the empty holder stays behind.
    """

    def __init__(self, value: list):
        self._value: list | None = value

    def take(self) -> list:
        value, self._value = self._value, None
        if value is None:
            raise RuntimeError("batch already taken")
        return value


@task(name="fetch", cache_policy=NO_CACHE)
def fetch_pages(items: list[FeedItem], settings: Settings) -> Handoff:
    return Handoff(polling.fetch_pages(items, settings))


@task(name="read-seeds", cache_policy=NO_CACHE)
def read_seed_articles(settings: Settings) -> tuple[list, list[ErrorRecord]]:
    pairs = [articles.seed_article(s) for s in seeds.read_seeds(settings.seeds_dir)]
    return [a for a, _ in pairs if a is not None], [e for _, e in pairs if e is not None]


@task(name="clean-and-extract", cache_policy=NO_CACHE)
def process(jobs: list, settings: Settings) -> Handoff:
    return Handoff(batch.process_jobs(jobs, settings, progress.advance))  # the bar moves per article


@task(name="store", cache_policy=NO_CACHE)
def store_batch(storage: RunStorage, stored: list, facts: list, errors: list[ErrorRecord],
                dropped: list | None = None) -> BatchCounts:
    return storage.store(stored, facts, errors, dropped or ())


@flow(name="ingest", log_prints=True)
def ingest(settings: Settings | None = None, config_file: str | None = None, include_feeds: bool = True,
           shard: int = 0, shards: int = 1, force: bool = False) -> RunSummary:
    """One poll cycle over the configured feeds and the seed corpus.

    Deployments pass `config_file` (or nothing): the settings are then read where the run
    executes, so secrets such as alert channels never travel as flow parameters.
    `include_feeds=False` ingests the seed corpus alone (the backfill deployment).
    With `shards` > 1 this run polls only the feeds whose name hashes to `shard`, so that N runs
    (N workers) poll disjoint feeds into one DuckLake at once; shard 0 also reads the seeds, and
    no shard alerts: the `alerts` flow, one run at a time, clusters and alerts for all of them.
    """
    settings = settings or load_settings(Path(config_file) if config_file else None)
    if not 0 <= shard < shards:
        raise ConfigError(f"shard {shard} of {shards}: a shard is a number from 0 to shards - 1")
    logger = get_run_logger()
    summary = RunSummary(run_id=uuid.uuid4().hex[:12])
    started = clock.now()
    storage = RunStorage(settings.store, summary.run_id, clock.now, lock_timeout=settings.lock_timeout,
                         reindex_minutes=settings.search_reindex_minutes)
    listed = preflight.check(settings, feeds=include_feeds).feeds  # a mistake fails the run here, before anything
    specs = [s for s in listed if polling.in_shard(s.name, shard, shards)]
    try:
        _cycle(settings, storage, summary, specs, started, seeds_too=shard == 0, alert=shards == 1, force=force,
               listed=[s.name for s in listed] if include_feeds else None)
    except StorageFailed as exc:  # a full disk, a read-only file system: recorded if it still can be
        recorded = storage.fail(str(exc), summary.counts())
        logger.error("run %s failed: %s%s", summary.run_id, exc, "" if recorded else " (could not be recorded)")
        raise
    finally:
        batch.close_pools()
    logger.info("run %s: %s", summary.run_id, summary.counts())
    return summary


def _cycle(settings: Settings, storage: RunStorage, summary: RunSummary, specs: list[FeedSpec], started, *,
           seeds_too: bool = True, alert: bool = True, force: bool = False, listed: list[str] | None = None) -> None:
    """Poll the due feeds (every feed with `force`), read the seeds, process and store the new
    entries, alert, finish."""
    states = storage.begin(_flow_run_id(), socket.gethostname(), os.getpid(), _process_gone, listed)
    due = [s for s in specs if force or polling.is_due(states.get(s.name), started)]
    summary.feeds_not_due = len(specs) - len(due)
    specs = due
    summary.add(storage.merged, merged=True)
    polls, feed_errors = _poll_all(specs, states, settings, summary)
    seeds, seed_errors = read_seed_articles(settings) if seeds_too else ([], [])
    pending = feed_errors + seed_errors
    summary.note(pending)
    items = _new_items(polls, storage, summary)
    seeds = _new_seeds(seeds, storage, summary)
    batches = [items[i:i + settings.batch_size] for i in range(0, len(items), settings.batch_size)]
    progress.stage("articles", total=len(items) + len(seeds))
    pending = _pipeline([seeds, *batches] if seeds else batches, settings, storage, summary, pending)
    if pending:
        summary.add(store_batch(storage, [], [], pending))
    if alert and not storage.staged:
        _alert_cycle(settings, storage, summary)
    _finish(settings, storage, specs, states, polls, summary, started, seeds_too)


def _pipeline(batches: list[list], settings: Settings, storage: RunStorage, summary: RunSummary,
              pending: list[ErrorRecord]) -> list[ErrorRecord]:
    """Fetch batch n+1 while the workers clean and extract batch n and batch n-1 is stored.

    A batch is a list of seed Articles or of FeedItems. Returns the errors not stored yet.
    """
    def prepare(entries: list):
        """Start getting a batch's jobs; returns a function that waits for (jobs, errors, dropped)."""
        if not entries or not isinstance(entries[0], FeedItem):
            return lambda: (entries, [], [])  # seed articles: extraction only
        if settings.fetch_pages:
            fetching = fetch_pages.submit(quote(entries), settings)
            return lambda: (fetching.result().take(), [], [])
        pairs = [articles.feed_article(i) for i in entries]
        dropped = [_dropped(i, e) for i, (a, e) in zip(entries, pairs) if a is None]
        return lambda: ([a for a, _ in pairs if a is not None], [e for _, e in pairs if e is not None], dropped)

    def store(processing, jobs: list, errors: list[ErrorRecord], dropped: list) -> None:
        nonlocal pending
        results = processing.result().take() if processing is not None else []
        if not results and not errors and not pending and not dropped:
            return
        kept = [r for r in results if r.article is not None]
        found = errors + [r.error for r in results if r.error is not None]
        dropped = dropped + [_dropped(job.item, r.error) for job, r in zip(jobs, results)
                             if r.article is None and isinstance(job, FetchedPage)
                             and r.error is not None and r.error.error_class is ErrorClass.TERMINAL]
        written = store_batch(storage, quote([r.article for r in kept]), quote([r.facts for r in kept]),
                              found + pending, dropped)
        summary.add(written)
        if storage.staged:
            summary.articles_staged += len(kept) - (written.new + written.updated + written.unchanged)
        progress.advance(len(errors))  # entries that never reached the workers (processed ones moved it already)
        summary.note(found)
        pending = []

    waiting = prepare(batches[0]) if batches else None
    in_flight = None
    for k in range(len(batches)):
        jobs, errors, dropped = waiting()
        waiting = prepare(batches[k + 1]) if k + 1 < len(batches) else None
        done, in_flight = in_flight, (process.submit(quote(jobs), settings) if jobs else None, jobs, errors, dropped)
        if done is not None:
            store(*done)
    if in_flight is not None:
        store(*in_flight)
    return pending


def _alert_cycle(settings: Settings, storage: RunStorage, summary: RunSummary) -> None:
    """Alerts at the end of every cycle; a failure here is recorded, the stored run stands."""
    from flows.alerting import deliver_task, evaluate_task

    try:
        raised = evaluate_task(settings)
        sent = deliver_task(settings)
    except Exception as exc:  # noqa: BLE001 - alerting must not undo an ingest that succeeded
        error = ErrorRecord("alert", reason_of(exc), error_class(exc))
        storage.store([], [], [error])
        summary.note([error])
        return
    summary.alerts_raised = len(raised.alerts_raised)
    summary.alerts_delivered = sent.delivered
    summary.alerts_failed = sent.failed


STALE_RUN = timedelta(hours=6)  # a run of another machine still `running` this long ago was killed


def _process_gone(host: str | None, pid: int | None, started: datetime) -> bool:
    """Whether a run recorded as running has no process any more: on this machine, asked of the
    operating system at once; of another machine (or an older record), judged by its age."""
    if host == socket.gethostname() and pid:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # another user's process of that number: alive
    return clock.now() - started > STALE_RUN  # a pid reused since, or another machine's run


def _flow_run_id() -> str | None:
    try:
        return str(get_run_context().flow_run.id)
    except Exception:  # noqa: BLE001 - outside a flow run there is no id to record
        return None


def _poll_all(specs, states, settings, summary) -> tuple[dict[str, tuple], list[ErrorRecord]]:
    """Poll every feed concurrently; returns name -> (FeedPoll | None, error | None)."""
    progress.stage("feeds", total=len(specs))
    delays = [settings.retry_delay * 2 ** k for k in range(settings.fetch_retries)]
    task_ = poll_feed.with_options(retries=settings.fetch_retries, retry_delay_seconds=delays or 0)
    polls, errors = {}, []
    for spec, result in _bounded(task_, specs, states, settings):
        name = spec.name
        if isinstance(result, BaseException):
            exc = result if isinstance(result, PipelineError) else PipelineError(f"{type(result).__name__}: {result}")
            polls[name] = (None, exc)
            errors.append(ErrorRecord("feed", exc.reason, exc.error_class, name, exc.url or str(spec.url)))
            summary.feeds_failed += 1
        else:
            polls[name] = (result, None)
            if result.problem:
                errors.append(ErrorRecord("feed", f"{result.problem}; {len(result.items)} entries kept",
                                          ErrorClass.WARNING, name, str(spec.url)))
            if result.status == "not_modified":
                summary.feeds_not_modified += 1
            else:
                summary.feeds_ok += 1
        progress.advance()
    return polls, errors


def _bounded(task_, specs, states, settings):
    """Submit polls `feed_concurrency` at a time; yield (spec, result or exception) in order."""
    width = settings.feed_concurrency
    for i in range(0, len(specs), width):
        window = [(s, task_.submit(s, states.get(s.name), settings)) for s in specs[i:i + width]]
        for spec, future in window:
            yield spec, future.result(raise_on_failure=False)


def _new_items(polls, storage: RunStorage, summary: RunSummary) -> list[FeedItem]:
    """Entries whose article is not stored yet or whose entry changed, one per article id: of
    several feeds listing one link, the entry with the most text wins. An entry dropped earlier
    for lack of text comes back only once it changes."""
    items: dict[str, FeedItem] = {}
    for poll, _ in polls.values():
        for item in poll.items if poll else ():
            best = items.get(item.article_id)
            if best is None or _richness(item) > _richness(best):
                items[item.article_id] = item
    known, dropped = storage.known(items), storage.dropped(items)
    fresh = [i for i in items.values()
             if i.entry_hash not in (known.get(i.article_id, (None, None))[1], dropped.get(i.article_id))
             and not (i.article_id in known and _richness(i) == (False, False, 0))]  # nothing to add
    summary.articles_unchanged += len(items) - len(fresh)
    return fresh


def _richness(item: FeedItem) -> tuple[bool, bool, int]:
    return bool(item.summary.strip()), bool((item.title or "").strip()), len(item.summary)


def _dropped(item: FeedItem, error: ErrorRecord) -> tuple[str, str, str, str]:
    """An entry that could not be stored, remembered with its fingerprint."""
    return item.article_id, item.entry_hash, item.source, error.reason


def _new_seeds(seeds: list, storage: RunStorage, summary: RunSummary) -> list:
    known = storage.known(a.id for a in seeds)
    fresh = [a for a in seeds if known.get(a.id, ("",))[0] != a.content_hash]
    summary.articles_unchanged += len(seeds) - len(fresh)
    return fresh


def _finish(settings: Settings, storage: RunStorage, specs, states, polls, summary: RunSummary, started,
            seeds_too: bool = True) -> None:
    """Feed validators are saved only now, after every batch is stored (or staged): a crash re-polls."""
    when = clock.now()
    rows = [polling.poll_state(spec, states.get(spec.name), *polls[spec.name], when) for spec in specs]
    if seeds_too:
        seeds_prior = states.get("seeds") or SourceState(source_id="seeds", kind="seeds")
        rows.append(SourceState(**{**seeds_prior.__dict__, "url": str(settings.seeds_dir), "last_attempt": when,
                                   "last_success": when, "last_status": "ok"}))
    storage.finish(rows, summary.counts(), started, _flow_run_id())
