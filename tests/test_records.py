"""Run records (flows/records.py): what a run's summary counts and says."""
from __future__ import annotations

from flows.records import RunSummary
from storage.records import BatchCounts, ErrorClass, ErrorRecord


def test_a_warning_is_said_as_a_warning_and_merged_batches_apart():
    summary = RunSummary("r1")
    summary.note([ErrorRecord("feed", "ill-formed feed: unclosed token; 1 entries kept", ErrorClass.WARNING, "amp"),
                  ErrorRecord("feed", "HTTP 500", ErrorClass.TRANSIENT, "wire", "https://wire.example/rss")])
    assert summary.errors == 2
    assert summary.error_lines[0].startswith("warning [feed] amp") and summary.error_lines[1].startswith("error [feed]")
    summary.add(BatchCounts(new=3, unchanged=1, facts=9))
    summary.add(BatchCounts(new=2, facts=4), merged=True)
    assert (summary.articles_new, summary.articles_unchanged, summary.articles_merged, summary.facts) == (3, 1, 2, 13)
