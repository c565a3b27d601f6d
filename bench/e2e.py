"""End-to-end benchmark: `newswatch run` over real pages served on loopback, beside bare trafilatura.

    python bench/e2e.py [--articles 2000] [--feeds 20]

Serves `--feeds` RSS feeds whose entries link to the real pages of ../shared/realdata/pages,
repeated under distinct URLs up to `--articles`; runs `newswatch run` twice (first poll, then an
unchanged re-poll) and times bare `trafilatura.extract` over the same pages in one process.
Prints articles per second, peak memory, the ratio to trafilatura (goal >= 1.0) and the re-poll
ratio (goal <= 0.05); then runs 500 and 5,000 articles on fresh databases and compares their peak
memory (goal <= 1.3). Figures only: nothing here is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "realdata" / "pages"
PUBDATE = "Tue, 24 Nov 2026 06:00:00 GMT"  # real feeds date their entries; the page's date is then not searched


def serve(pages: list[bytes], n_articles: int, n_feeds: int) -> tuple[ThreadingHTTPServer, dict]:
    hits = {"pages": 0, "feeds": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the web servers of news sites

        def do_GET(self):  # noqa: N802
            if self.path.startswith("/p/"):
                hits["pages"] += 1
                n = int(self.path.split("/")[2].split(".")[0])
                return self._send(pages[n % len(pages)], "text/html")
            hits["feeds"] += 1
            f = int(self.path.split("/")[2].split(".")[0])
            etag = f'"feed-{f}"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(b"", "application/rss+xml", 304, etag)
            items = "".join(f"<item><title>Article {n}</title><link>{base}/p/{n}.html</link>"
                            f"<guid>{base}/p/{n}.html</guid><pubDate>{PUBDATE}</pubDate>"
                            f"<description>Summary {n}</description></item>"
                            for n in range(f, n_articles, n_feeds))
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>{items}</channel></rss>'
            self._send(body.encode(), "application/rss+xml", 200, etag)

        def _send(self, body, ctype, status=200, etag=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer.request_queue_size = 256
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, hits


class TreeMemory:
    """Samples the memory of a process and all its descendants (workers, fork server, Prefect's
    local server) every 0.25 s: the peak of their summed PSS (shared pages counted once, split
    among the sharers) and the peak RSS of the process that runs the flow (the child `newswatch run`
    supervises)."""

    def __init__(self, pid: int):
        self.pid, self.peak_tree_mb, self.peak_main_mb = pid, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _children(pid: int) -> list[int]:
        out = []
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                out += [int(c) for c in children.read_text().split()]
            except OSError:
                pass
        return out

    def _tree(self) -> list[int]:
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo += self._children(pid)
        return out

    @staticmethod
    def _kb(pid: int, path: str, key: str) -> float:
        try:
            for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
                if line.startswith(key):
                    return float(line.split()[1])
        except OSError:
            pass
        return 0.0

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            tree = sum(self._kb(pid, "smaps_rollup", "Pss:") for pid in self._tree()) / 1024
            self.peak_tree_mb = max(self.peak_tree_mb, tree)
            self.peak_main_mb = max(self.peak_main_mb, self._kb(self._runner(), "status", "VmRSS:") / 1024)

    def _runner(self) -> int:
        """The process running the flow: `newswatch run` supervises it as its one child."""
        return next(iter(self._children(self.pid)), self.pid)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_newswatch(config: Path) -> tuple[float, TreeMemory]:
    """Wall seconds and sampled memory of one `newswatch run`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    start = time.perf_counter()
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "newswatch"), "run", "--no-progress", "--config", str(config)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    _, stderr = proc.communicate()
    memory.stop()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"newswatch run failed:\n{stderr[-3000:]}")
    return seconds, memory


def run_seconds(db: Path) -> list[float]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT epoch(finished_at - started_at) FROM runs ORDER BY started_at").fetchall()]
    finally:
        con.close()


def bare_trafilatura(pages: list[bytes], n_articles: int) -> float:
    """Seconds for trafilatura.extract over the same n pages, one process."""
    code = ("import sys, time, trafilatura, pathlib\n"
            "pages = [p.read_bytes() for p in sorted(pathlib.Path(sys.argv[1]).glob('*.html'))]\n"
            "n = int(sys.argv[2]); start = time.perf_counter()\n"
            "for i in range(n): trafilatura.extract(pages[i % len(pages)])\n"
            "print(time.perf_counter() - start)\n")
    out = subprocess.run([sys.executable, "-c", code, str(PAGES), str(n_articles)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def scenario(pages: list[bytes], n_articles: int, n_feeds: int, repoll: bool) -> dict:
    """A fresh database and loopback feeds of `n_articles`; one run (and an unchanged re-poll)."""
    httpd, hits = serve(pages, n_articles, n_feeds)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            (tmp / "seeds").mkdir()
            feeds = "".join(f'[[feeds]]\nname = "bench{f}"\nurl = "{base}/feed/{f}.xml"\n\n' for f in range(n_feeds))
            (tmp / "feeds.toml").write_text(feeds)
            config = tmp / "bench.toml"
            config.write_text(f'database = "{tmp / "bench.duckdb"}"\nseeds_dir = "{tmp / "seeds"}"\n'
                              f'feeds_file = "{tmp / "feeds.toml"}"\nallowed_private_hosts = ["127.0.0.1"]\n'
                              f'per_host_concurrency = 8\nalert_log = "{tmp / "alerts.jsonl"}"\n')
            wall, memory = run_newswatch(config)
            out = {"wall": wall, "tree_mb": round(memory.peak_tree_mb), "main_mb": round(memory.peak_main_mb)}
            if repoll:
                fetched = hits["pages"]
                out["repoll_wall"], _ = run_newswatch(config)
                out["refetched"] = hits["pages"] - fetched
            runs = run_seconds(tmp / "bench.duckdb")
            out["flow"] = runs[0]
            out["repoll_flow"] = runs[1] if repoll else None
    finally:
        httpd.shutdown()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--memory", type=int, nargs=2, default=(500, 5000), metavar=("SMALL", "LARGE"),
                    help="article counts of the two runs whose peak memory is compared")
    args = ap.parse_args()
    if not PAGES.exists():
        print(f"end to end: skipped, {PAGES} is absent (the benchmark serves those real pages)")
        return
    pages = [p.read_bytes() for p in sorted(PAGES.glob("*.html"))]
    main_run = scenario(pages, args.articles, args.feeds, repoll=True)
    small, large = (scenario(pages, n, args.feeds, repoll=False) for n in args.memory)
    bare = bare_trafilatura(pages, args.articles)
    first_run, second_run = main_run["flow"], main_run["repoll_flow"]
    figures = {
        "articles": args.articles, "feeds": args.feeds,
        "run_wall_seconds": round(main_run["wall"], 1), "run_flow_seconds": round(first_run, 1),
        "articles_per_second": round(args.articles / first_run, 1),
        "articles_per_second_wall": round(args.articles / main_run["wall"], 1),
        "peak_memory_mb": main_run["tree_mb"], "peak_rss_run_process_mb": main_run["main_mb"],
        "trafilatura_seconds": round(bare, 1), "trafilatura_pages_per_second": round(args.articles / bare, 1),
        "ratio_vs_trafilatura": round(bare / first_run, 2),
        "repoll_flow_seconds": round(second_run, 2), "repoll_ratio": round(second_run / first_run, 3),
        "repoll_pages_fetched": main_run["refetched"],
        "memory_small_articles": args.memory[0], "memory_small_mb": small["tree_mb"],
        "memory_large_articles": args.memory[1], "memory_large_mb": large["tree_mb"],
        "memory_ratio": round(large["tree_mb"] / small["tree_mb"], 2),
        "run_process_rss_small_mb": small["main_mb"], "run_process_rss_large_mb": large["main_mb"],
    }
    print(f"end to end: {figures['articles_per_second']} articles/s in the flow ({figures['articles_per_second_wall']}/s "
          f"including the Prefect start); peak memory {main_run['tree_mb']} MB (PSS of the run and its workers)")
    print(f"bare trafilatura: {figures['trafilatura_pages_per_second']} pages/s; ratio {figures['ratio_vs_trafilatura']} (goal >= 1.0)")
    print(f"re-poll: {second_run:.2f} s vs {first_run:.1f} s, ratio {figures['repoll_ratio']} (goal <= 0.05), "
          f"{main_run['refetched']} pages fetched again (goal 0)")
    print(f"memory: {small['tree_mb']} MB for {args.memory[0]} articles, {large['tree_mb']} MB for {args.memory[1]}; "
          f"ratio {figures['memory_ratio']} (goal <= 1.3); run process alone {small['main_mb']} -> {large['main_mb']} MB RSS")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
