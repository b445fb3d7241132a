"""Latency of `lagebild serve` on a 100,000-article synthetic database (p50/p95 per request kind).

The database is built cheaply: articles are written through the Store without running the NLP
pipeline (seeded random German-looking text with a Zipf vocabulary, 3-7 linked mentions of 300
knowledge-base actors, 0-3 quotes each, 40 outlets, dates 2019-2024). The search index and the
totals are filled by the store's triggers while writing. The built file is reused on later runs
(``--rebuild`` to start over).

The app runs in a real uvicorn server (a thread of this process, 127.0.0.1, free port); requests go
through one keep-alive ``http.client`` connection, one at a time, after a warm-up round.

Usage:
  .venv/bin/python bench/web_latency.py                  # 100,000 articles, results in bench/results/
  .venv/bin/python bench/web_latency.py --n 20000 --rounds 50
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lagebild.model import Article, DateInfo, Mention, Quote  # noqa: E402
from lagebild.store import open_store  # noqa: E402

REAL_WORDS = [
    "Putin",
    "Xi",
    "Sanktionen",
    "Gespräche",
    "Regierung",
    "Moskau",
    "Peking",
    "Berlin",
    "Ukraine",
    "Energie",
    "Gas",
    "Handel",
    "Krieg",
    "Verhandlungen",
    "Präsident",
    "Außenminister",
    "Gipfel",
    "Waffen",
    "Abkommen",
    "Partnerschaft",
    "Wirtschaft",
    "Militär",
]
OUTLETS = [f"Outlet {i:02d}" for i in range(40)]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    syllables = [
        "ka",
        "ber",
        "lin",
        "ost",
        "markt",
        "re",
        "gie",
        "rung",
        "han",
        "del",
        "ver",
        "trag",
        "sch",
        "mi",
        "li",
        "tär",
        "po",
        "tik",
        "wirt",
        "schaft",
        "ener",
        "gie",
        "sank",
        "tion",
        "ge",
        "spräch",
    ]
    words = set(REAL_WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize())
    return sorted(words)


def build(path: Path, n: int, seed: int = 7) -> float:
    from lagebild.kb import load_kb

    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = [1 / (i + 1) for i in range(len(words))]  # Zipf
    actors = [a for a in load_kb().actors.values() if a.type in ("person", "state", "organization")][:300]
    actor_weights = [1 / (i + 1) ** 0.8 for i in range(len(actors))]
    store = open_store(str(path))
    start = time.perf_counter()
    with store.transaction():
        for i in range(n):
            body = rng.choices(words, weights, k=rng.randint(120, 260))
            picked = rng.choices(range(len(actors)), actor_weights, k=rng.randint(3, 7))
            mentions, quotes, text = [], [], ""
            for j, w in enumerate(body):
                if j % 40 == 5 and picked:
                    actor = actors[picked.pop()]
                    name = actor.name
                    mentions.append(Mention(len(text), len(text) + len(name), name, "PER", actor.id))
                    text += name + " "
                text += w + ("." if j % 15 == 14 else "") + " "
            for _ in range(rng.randint(0, 3)):
                if not mentions:
                    break
                m = rng.choice(mentions)
                s = rng.randrange(0, max(1, len(text) - 60))
                quotes.append(
                    Quote(
                        "indirect",
                        (s, s + 50),
                        text[s : s + 50],
                        "Indirect",
                        m.text,
                        None,
                        m.text,
                        m.actor_id,
                        [m.actor_id or ""],
                        "mention",
                        "sagte",
                    )
                )
            day = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            article = Article(
                id=f"{i:020x}",
                source=f"synthetic/{i}",
                source_format="jsonl",
                raw_text=text,
                clean_text=text,
                title=" ".join(rng.choices(words, weights, k=6)),
                outlet=rng.choice(OUTLETS),
                language="de" if rng.random() < 0.8 else "en",
                published=DateInfo(day, "day", day, "jsonl"),
                mentions=mentions,
                quotes=quotes,
            )
            store.put(article)
            if i % 5000 == 4999:
                store.commit()
                print(f"  {i + 1} articles, {time.perf_counter() - start:.0f} s", flush=True)
    store.close()
    return time.perf_counter() - start


def serve(db: Path) -> tuple[Any, int]:
    import uvicorn

    from lagebild.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(create_app(db=str(db)), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, port


def requests(top_actor: str, n: int) -> dict[str, list[str]]:
    search = [
        {"q": "Putin"},
        {"q": "Sanktionen Gespräche"},
        {"q": '"Regierung Moskau"'},
        {"q": "Ener*"},
        {"q": "Putin", "outlet": "Outlet 07"},
        {"q": "Gas", "date_from": "2022-02-24", "date_to": "2022-12-31"},
        {"q": "Handel", "actor": top_actor},
        {"q": "Krieg", "language": "en", "sort": "date"},
        {"outlet": "Outlet 03"},
        {"date_from": "2024-01", "sort": "date"},
    ]
    return {
        "search page (/search)": ["/search?" + urlencode(p) for p in search],
        "search API (/api/search)": ["/api/search?" + urlencode(p) for p in search],
        "overview page (/)": ["/"],
        "overview API (/api/overview)": ["/api/overview"],
        "article page": [f"/articles/{i:020x}" for i in (1, n // 2, n - 1)],
        "actor page (most mentioned actor)": [f"/actors/{quote(top_actor, safe='')}"],
        "quotes page": ["/quotes"],
        "outlet page": ["/outlets/Outlet%2007"],
        "timeline page": ["/timeline"],
    }


def _stats(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1),
    }


def measure(port: int, urls: list[str], rounds: int) -> dict[str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times: list[float] = []
    per_url: dict[str, list[float]] = {u: [] for u in urls}
    for r in range(rounds + 1):
        for url in urls:
            t = time.perf_counter()
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{url}: HTTP {response.status}")
            if r:  # round 0 warms caches (knowledge base, SQLite pages)
                times.append((time.perf_counter() - t) * 1000)
                per_url[url].append(times[-1])
    conn.close()
    out: dict[str, Any] = _stats(times)
    if len(urls) > 1:
        out["per_url"] = {u: _stats(ts) for u, ts in per_url.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", default=str(ROOT / "out" / "bench-web.db"))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "web_latency.json"))
    args = parser.parse_args()
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    store = open_store(str(db)) if db.exists() and not args.rebuild else None
    open_s = time.perf_counter() - t  # includes building the search index for an older file
    build_s = None
    if store is None or store.count() != args.n:
        if store is not None:
            store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        print(f"building {args.n} synthetic articles in {db} ...", flush=True)
        build_s = build(db, args.n)
    else:
        store.close()
    print(f"opened in {open_s:.1f} s", flush=True)
    store = open_store(str(db))
    top_actor = json.loads(
        json.dumps(
            store._db.execute(  # type: ignore[attr-defined]
                "SELECT actor_id FROM actor_totals ORDER BY mentions DESC LIMIT 1"
            ).fetchone()[0]
        )
    )
    store.close()
    server, port = serve(db)
    results: dict[str, Any] = {}
    for name, urls in requests(top_actor, args.n).items():
        results[name] = measure(port, urls, args.rounds)
        print(
            f"{name:38} p50 {results[name]['p50_ms']:7.1f} ms  p95 {results[name]['p95_ms']:7.1f} ms",
            flush=True,
        )
        for url, st in results[name].get("per_url", {}).items():
            print(f"    {url:64} p50 {st['p50_ms']:7.1f}  p95 {st['p95_ms']:7.1f}", flush=True)
    server.should_exit = True
    report = {
        "articles": args.n,
        "db_mb": round(db.stat().st_size / 1e6),
        "build_s": round(build_s) if build_s else None,
        "open_s": round(open_s, 1),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "results": results,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
