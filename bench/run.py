"""Benchmarks that print figures (never asserted in tests): `make bench`.

    extraction  words per second of the extractor on one core (goal: >= 50,000; spaCy's small
                English model publishes 9.4k words/s)
    cleaning    trafilatura pages per second on the real pages of ../shared/realdata/pages
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from extractors.clean import CleaningFailed, clean_html  # noqa: E402
from extractors.extract import Extractor  # noqa: E402
from extractors.types import Document  # noqa: E402


def corpus() -> list[str]:
    """Texts to extract from: the seeds, the gold cases and, when present, the shared dev set."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "gold").glob("*.txt"))]
    dev = ROOT.parent / "shared" / "eval" / "dev.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.open(encoding="utf-8") if line.strip()]
    return texts


def bench_extraction(min_words: int = 300_000) -> dict:
    extractor = Extractor()
    base = corpus()
    docs, words = [], 0
    while words < min_words:
        for text in base:
            docs.append(Document(id=str(len(docs)), text=text))
            words += len(text.split())
    list(extractor.extract(docs[:20]))  # warm-up: gazetteer and pipeline build
    start = time.perf_counter()
    n = sum(1 for _ in extractor.extract(docs))
    seconds = time.perf_counter() - start
    return {"documents": n, "words": words, "seconds": round(seconds, 2), "words_per_second": round(words / seconds)}


def bench_cleaning() -> dict | None:
    pages = ROOT.parent / "shared" / "realdata" / "pages"
    if not pages.exists():
        return None
    files = sorted(pages.glob("*.html"))
    bodies = [f.read_bytes() for f in files]
    start = time.perf_counter()
    for body in bodies:
        try:
            clean_html(body)
        except CleaningFailed:
            pass
    seconds = time.perf_counter() - start
    return {"pages": len(bodies), "seconds": round(seconds, 2), "ms_per_page": round(1000 * seconds / len(bodies), 1)}


def main() -> None:
    ex = bench_extraction()
    print(f"extraction: {ex['words_per_second']:,} words/s on one core "
          f"({ex['documents']} documents, {ex['words']:,} words in {ex['seconds']} s); goal >= 50,000")
    cl = bench_cleaning()
    if cl:
        print(f"cleaning:   {cl['ms_per_page']} ms/page with trafilatura ({cl['pages']} real pages in {cl['seconds']} s)")
    else:
        print("cleaning:   skipped (../shared/realdata/pages is absent)")
    print(json.dumps({"extraction": ex, "cleaning": cl}))


if __name__ == "__main__":
    main()
