"""Load test of `lagebild serve` on loopback: concurrent clients, random searches and page views.

The database is built once from ``examples/corpus/`` with every pipeline stage (entities, linking,
quotes, events), so actor, quote, timeline and story pages have content; later runs reuse it
(``--rebuild`` to start over; ``--db`` to load an existing database instead). The server runs as
``lagebild serve`` in its own process on 127.0.0.1 (a free port); ``--clients`` threads, each with
one keep-alive connection, send ``--requests`` requests in all, drawn with a fixed seed: searches
with random queries (words of the corpus, prefixes, phrases, nonsense and query syntax, with and
without filters) through the page and the API, and views of the overview, articles, actors,
outlets, quotes, the timeline and stories, some of them as HEAD. Every answer must be 200.

Usage:
  .venv/bin/python bench/web_load.py                       # 20 clients, 3,000 requests
  .venv/bin/python bench/web_load.py --clients 50 --requests 10000
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import queue
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only: the benchmark never listens on another address
ALL_STAGES = '["language","clean","metadata","sentences","time","entities","link","quotes","events"]'
NOISE = ['"', "*", "OR", "NEAR(", "-", "^", "(", ")", ":", "title:", "'", "%", "ä", "\u202e", "[/b]", "<b>"]


def build(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "lagebild", "analyze", str(ROOT / "examples" / "corpus")]
    command += ["--db", str(db), "-q", "--set", f"pipeline.stages={ALL_STAGES}"]
    print(f"building {db} from examples/corpus (every stage) ...", flush=True)
    subprocess.run(command, check=True, env=_env())


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "lagebild",
        "serve",
        "--db",
        str(db),
        "--host",
        HOST,
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"lagebild serve exited: {server.stderr.read().decode() if server.stderr else ''}"
            )
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/api/overview")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("lagebild serve did not answer within 120 s")


def pools(db: Path) -> dict[str, list[str]]:
    """What the requests draw from: ids, outlets, actors, speakers, stories, words of the corpus."""
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)

    def column(sql: str) -> list[str]:
        try:
            return [str(r[0]) for r in con.execute(sql) if r[0] is not None]
        except sqlite3.OperationalError:
            return []

    words: set[str] = set()
    for (text,) in con.execute("SELECT json_extract(data, '$.clean_text') FROM articles"):
        words.update(w for w in re.findall(r"\w{4,}", text or "") if not w.isdigit())
    out = {
        "ids": column("SELECT id FROM articles"),
        "outlets": column("SELECT DISTINCT outlet FROM articles"),
        "languages": column("SELECT DISTINCT language FROM articles"),
        "actors": column("SELECT actor_id FROM actor_totals ORDER BY mentions DESC LIMIT 50"),
        "speakers": column("SELECT speaker_key FROM speaker_totals ORDER BY quotes DESC LIMIT 50"),
        "stories": column("SELECT id FROM stories"),
        "words": sorted(words),
    }
    con.close()
    return out


def random_query(rng: random.Random, words: list[str]) -> str:
    picked = [rng.choice(words) for _ in range(rng.randint(1, 3))]
    roll = rng.random()
    if roll < 0.15:
        return picked[0][: rng.randint(3, 5)] + "*"
    if roll < 0.3:
        return '"' + " ".join(picked) + '"'
    if roll < 0.4:
        junk = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzäöüß") for _ in range(rng.randint(3, 12)))
        return f"{junk} {picked[0]}"
    if roll < 0.5:
        return " ".join(picked + [rng.choice(NOISE) for _ in range(rng.randint(1, 3))])
    return " ".join(picked)


def plan(rng: random.Random, p: dict[str, list[str]], n: int) -> list[tuple[str, str, str]]:
    """``n`` requests as (kind, method, path)."""

    def search_params() -> dict[str, str]:
        params = {"q": random_query(rng, p["words"])}
        if rng.random() < 0.2 and p["outlets"]:
            params["outlet"] = rng.choice(p["outlets"])
        if rng.random() < 0.1 and p["languages"]:
            params["language"] = rng.choice(p["languages"])
        if rng.random() < 0.1:
            params["date_from"] = f"{rng.randint(2019, 2023)}-0{rng.randint(1, 9)}"
        if rng.random() < 0.1 and p["actors"]:
            params["actor"] = rng.choice(p["actors"])
        if rng.random() < 0.2:
            params["sort"] = "date"
        return params

    def pick(key: str, fallback: str) -> str:
        return rng.choice(p[key]) if p[key] else fallback

    makers: list[tuple[str, float, Any]] = [
        ("search page", 0.30, lambda: "/search?" + urlencode(search_params())),
        ("search API", 0.25, lambda: "/api/search?" + urlencode(search_params())),
        ("article page", 0.10, lambda: "/articles/" + pick("ids", "")),
        ("article API", 0.04, lambda: "/api/articles/" + pick("ids", "")),
        ("overview", 0.05, lambda: rng.choice(["/", "/api/overview"])),
        (
            "actor page",
            0.05,
            lambda: "/actors/" + quote(pick("actors", ""), safe="") if p["actors"] else "/actors",
        ),
        ("outlet page", 0.05, lambda: "/outlets/" + quote(pick("outlets", ""), safe="")),
        ("quotes", 0.05, lambda: rng.choice(["/quotes", "/api/quotes", "/api/speakers"])),
        ("timeline", 0.05, lambda: rng.choice(["/timeline", "/api/timeline"])),
        ("stories", 0.03, lambda: "/stories/" + pick("stories", "") if p["stories"] else "/stories"),
        (
            "lists",
            0.03,
            lambda: rng.choice(["/actors", "/outlets", "/stories", "/api/actors", "/api/outlets"]),
        ),
    ]
    kinds = rng.choices(makers, [w for _, w, _ in makers], k=n)
    out = []
    for kind, _, make in kinds:
        method = "HEAD" if rng.random() < 0.05 else "GET"
        out.append((kind, method, make()))
    return out


def run(
    port: int, work: list[tuple[str, str, str]], clients: int
) -> tuple[list[tuple[str, float]], list[str], float]:
    todo: queue.Queue[tuple[str, str, str]] = queue.Queue()
    for item in work:
        todo.put(item)
    times: list[tuple[str, float]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        while True:
            try:
                kind, method, path = todo.get_nowait()
            except queue.Empty:
                break
            start = time.perf_counter()
            try:
                conn.request(method, path)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                with lock:
                    errors.append(f"{method} {path}: {type(exc).__name__}: {exc}")
                continue
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                times.append((kind, elapsed))
                if status != 200:
                    errors.append(f"{method} {path}: HTTP {status}")
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors, time.perf_counter() - started


def stats(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"n": len(values), "p50_ms": values[0] if values else 0.0, "p95_ms": 0.0, "p99_ms": 0.0}
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"n": len(values), "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "p99_ms": round(q[98], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=str(ROOT / "out" / "bench-load.db"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "web_load.json"))
    args = parser.parse_args()
    db = Path(args.db)
    if args.rebuild or not db.exists():
        build(db)
    work = plan(random.Random(args.seed), pools(db), args.requests)
    port = free_port()
    server = start_server(db, port)
    try:
        # one warm-up pass over a few requests (knowledge base, SQLite pages), not counted
        run(port, work[: min(40, len(work))], 2)
        times, errors, wall = run(port, work, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    per_kind: dict[str, list[float]] = defaultdict(list)
    for kind, ms in times:
        per_kind[kind].append(ms)
    overall = stats([ms for _, ms in times])
    print(
        f"{len(work)} requests, {args.clients} clients, {wall:.1f} s ({len(work) / wall:.0f} requests/s): "
        f"p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms, p99 {overall['p99_ms']} ms, "
        f"errors {len(errors)}"
    )
    for kind, values in sorted(per_kind.items(), key=lambda kv: -len(kv[1])):
        s = stats(values)
        figures = f"p50 {s['p50_ms']:7.1f}  p95 {s['p95_ms']:7.1f}  p99 {s['p99_ms']:7.1f} ms"
        print(f"  {kind:14} {s['n']:5d}  {figures}")
    for line in errors[:20]:
        print("  error:", line)
    report = {
        "db": str(db.resolve().relative_to(ROOT)) if db.resolve().is_relative_to(ROOT) else db.name,
        "articles": len(pools(db)["ids"]),
        "clients": args.clients,
        "requests": len(work),
        "seconds": round(wall, 1),
        "errors": len(errors),
        "overall": overall,
        "per_kind": {k: stats(v) for k, v in per_kind.items()},
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
