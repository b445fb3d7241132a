"""Ingest + clean + store throughput of ``lagebild.api.analyze``.

Corpora:
  10kgnad    ../shared/data/10kgnad/test.csv (1,028 Der Standard articles), converted to one JSONL file
  synthetic  a deterministic (seeded) corpus of German-looking news articles with page clutter,
             written as one JSONL file (default) or, with --as-files, as one .txt file per article

Every (corpus, backend) configuration runs in a fresh subprocess so that peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) and loaded models do not mix between runs. The
subprocess calls ``api.analyze`` twice on the same input and a fresh database: the first run
(everything "added") is the throughput figure; the second run (everything "unchanged") is the
idempotent-rerun time.

Runs that would exceed the time budget are measured on a subset: for a corpus larger than
--estimate-n articles, the first --estimate-n articles are measured first; if that rate,
extrapolated to the full corpus, exceeds --budget seconds, the subset result is reported (and
marked as such) instead of the full run.

Words are whitespace-separated tokens of the input text (before cleaning).

Usage:
  .venv/bin/python bench/throughput.py                   # both corpora, both backends, n=20000
  .venv/bin/python bench/throughput.py --n 2000          # quick estimate
  .venv/bin/python bench/throughput.py --as-files        # synthetic corpus as 20,000 .txt files
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
GNAD = REPO.parent / "shared" / "data" / "10kgnad" / "test.csv"
GNAD_DISPLAY = "../shared/data/10kgnad/test.csv"
RESULTS = BENCH / "results"


# ---------------------------------------------------------------------------------------------
# Worker: one configuration in a fresh process
# ---------------------------------------------------------------------------------------------


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _vm_hwm_mb() -> float | None:
    """Peak RSS of this process's address space (Linux /proc), a cross-check of ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def run_worker(input_path: str, backend: str, db: str, profile: str | None = None) -> None:
    rss_start = _rss_mb()
    t0 = time.perf_counter()
    from lagebild import api
    from lagebild.config import load_config

    # Reading, cleaning, metadata and sentences: the model stages (quotes, entities) are measured by
    # bench/quotes.py and bench/ner.py.
    stages = 'pipeline.stages=["language","clean","metadata","sentences"]'
    cfg = load_config(overrides=[f"sentences.backend={backend}", stages])
    import_s = time.perf_counter() - t0
    rss_import = _rss_mb()

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t1 = time.perf_counter()
    first = api.analyze([input_path], db=db, config=cfg)
    first_s = time.perf_counter() - t1
    rss_first = _rss_mb()
    hwm_first = _vm_hwm_mb()
    if profiler is not None:
        import io
        import pstats

        profiler.disable()
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        Path(profile).write_text(buf.getvalue(), encoding="utf-8")

    t2 = time.perf_counter()
    second = api.analyze([input_path], db=db, config=cfg)
    rerun_s = time.perf_counter() - t2
    rss_rerun = _rss_mb()

    out = {
        "import_seconds": import_s,
        "seconds": first_s,
        "rerun_seconds": rerun_s,
        "added": first.added,
        "unchanged": first.unchanged,
        "failed": first.failed,
        "failures_sample": first.failures[:5],
        "rerun_added": second.added,
        "rerun_unchanged": second.unchanged,
        "rerun_failed": second.failed,
        "rss_start_mb": rss_start,
        "rss_after_import_mb": rss_import,
        "peak_rss_mb": rss_first,
        "vm_hwm_mb": hwm_first,
        "peak_rss_after_rerun_mb": rss_rerun,
        "db_mb": os.path.getsize(db) / 1e6,
    }
    print("RESULT " + json.dumps(out))


# ---------------------------------------------------------------------------------------------
# Corpora
# ---------------------------------------------------------------------------------------------


def gnad_records() -> list[str]:
    with GNAD.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";", quotechar="'"))
    bad = [i for i, r in enumerate(rows) if len(r) != 2]
    if bad:
        raise SystemExit(f"{GNAD_DISPLAY}: rows {bad[:5]} do not have 2 fields (label;'text')")
    return [r[1] for r in rows]


def _words(text: str, sep: str | None = None) -> list[str]:
    """Vocabulary lists are written as one string each, words split on spaces (or on ``sep``)."""
    return text.split(sep)


FIRST = _words(
    "Anna Thomas Katrin Michael Sabine Jürgen Claudia Stefan Monika Andreas Julia Markus Petra "
    "Frank Birgit Tobias Heike Christian Ulrike Jörg Lena Matthias Susanne Florian Ingrid "
    "Sebastian Renate Dominik"
)
LAST = _words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann "
    "Hartmann Lange Schmitt Werner Krause Lehmann Köhler"
)
PLACES = _words(
    "Berlin Hamburg München Köln Frankfurt Stuttgart Düsseldorf Leipzig Dresden Hannover Wien "
    "Graz Zürich Brüssel Straßburg Paris Warschau Prag Moskau Peking Kiew Washington Ankara "
    "Rom Madrid"
)
ORGS = _words(
    "die Bundesregierung|das Innenministerium|die Europäische Kommission|der Stadtrat|"
    "die Opposition|die Gewerkschaft Verdi|die Polizei|das Statistische Bundesamt|"
    "der Bundestag|die Landesregierung|das Verteidigungsministerium|die Bundesbank|"
    "der Verband der Automobilindustrie|die Staatsanwaltschaft|das Gesundheitsministerium|"
    "die Verbraucherzentrale|der Deutsche Städtetag|die Deutsche Bahn|der Aufsichtsrat",
    "|",
)
ORGS_GEN = _words(
    "der Bundesregierung|des Innenministeriums|der Europäischen Kommission|des Stadtrats|"
    "der Polizei|des Statistischen Bundesamts|der Landesregierung|der Staatsanwaltschaft|"
    "der Bundesbank|der Gewerkschaft|des Verbands|der Verbraucherzentrale",
    "|",
)
ORGS_DAT = _words(
    "der Bundesregierung|dem Innenministerium|der Europäischen Kommission|dem Stadtrat|"
    "der Landesregierung|der Deutschen Bahn|dem Aufsichtsrat|der Stadtverwaltung",
    "|",
)
ROLES = _words(
    "Sprecherin Sprecher Ministerin Minister Bürgermeisterin Bürgermeister Vorsitzende "
    "Abgeordnete Staatssekretär Geschäftsführerin Polizeisprecher Experte"
)
PARTIES = _words("SPD CDU CSU Grüne FDP Linke ÖVP SPÖ parteilos")
AGENCIES = _words("dpa AFP Reuters APA epd KNA")
NOUNS_PL = _words(
    "Anträge Beschäftigten Unternehmen Flüchtlinge Wohnungen Verfahren Schulen Fahrgäste "
    "Neuinfektionen Insolvenzen Ausbildungsplätze Windräder Kliniken Beschwerden Pendler "
    "Studierenden Haushalte Ermittlungen"
)
OBJECTS = _words(
    "den Haushaltsentwurf|das neue Gesetz|die Reform|den Ausbau der Bahnstrecke|"
    "die Erhöhung der Mieten|das Tempolimit|die Sanktionen|den Vertrag|die Fusion|"
    "die Sparpläne|das Förderprogramm|die Impfkampagne|den Bebauungsplan|die Grundsteuer|"
    "die Schließung des Werks|das Verfahren",
    "|",
)
VPP = _words(
    "beschlossen abgelehnt vorgelegt kritisiert gestoppt verschoben angekündigt überprüft "
    "genehmigt verteidigt"
)
VINF = _words("umsetzen verabschieden finanzieren zurücknehmen prüfen verschieben vorlegen")
INF_CLAUSES = _words(
    "die Gespräche fortzusetzen|mehr Geld für Schulen bereitzustellen|"
    "die Vorwürfe gründlich zu prüfen|bis Jahresende eine Lösung vorzulegen|"
    "die Auflagen zu lockern|zusätzliche Stellen zu schaffen|die Frist zu verlängern|"
    "den Dialog mit den Anwohnern zu suchen|die Kosten offenzulegen|"
    "das Vorhaben vorerst auszusetzen",
    "|",
)
QUOTES = _words(
    "Wir werden das sehr genau beobachten|Das ist ein wichtiges Signal für die Region|"
    "Die Lage ist ernst, aber nicht hoffnungslos|Wir haben keine andere Wahl|"
    "Dafür gibt es derzeit keine Mehrheit|Das hätte man früher wissen können|"
    "Niemand soll am Ende schlechter dastehen|Wir brauchen jetzt schnelle Entscheidungen|"
    "Die Zahlen sprechen eine deutliche Sprache|Das lassen wir uns nicht gefallen",
    "|",
)
FIELDS = _words(
    "Wirtschaftsforschung Sozialpolitik Verkehrsplanung Umweltrecht Migrationsforschung "
    "Energiewirtschaft Konfliktforschung Stadtentwicklung"
)
ADJ = _words("problematisch|überfällig|verfrüht|vernünftig|riskant|kaum umsetzbar|ein gutes Zeichen", "|")
WEEKDAYS = _words("Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag")
MONTHS = _words("Januar Februar März April Mai Juni Juli August September Oktober November Dezember")
TOPICS = _words(
    "Haushalt Mietpreise Bahnstreik Energiepreise Klinikreform Wahlkampf Grundsteuer "
    "Tarifstreit Hochwasser Sanktionen Schulreform Digitalisierung Verkehrswende"
)


def _name(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def _sentence(r: random.Random) -> str:
    k = r.randrange(12)
    if k == 0:
        return f"{_cap(r.choice(ORGS))} kündigte am {r.choice(WEEKDAYS)} an, {r.choice(INF_CLAUSES)}."
    if k == 1:
        return (
            f"„{r.choice(QUOTES)}“, sagte {r.choice(ROLES)} {_name(r)} ({r.choice(PARTIES)}) "
            f"der Nachrichtenagentur {r.choice(AGENCIES)}."
        )
    if k == 2:
        return (
            f"Nach Angaben {r.choice(ORGS_GEN)} stieg die Zahl der {r.choice(NOUNS_PL)} im "
            f"{r.choice(MONTHS)} um {r.randint(1, 40)},{r.randint(0, 9)} Prozent."
        )
    if k == 3:
        return (
            f"Bereits im {r.choice(MONTHS)} {r.randint(2015, 2022)} hatte {r.choice(ORGS)} "
            f"{r.choice(OBJECTS)} {r.choice(VPP)}."
        )
    if k == 4:
        return (
            f"Kritiker wie {_name(r)} ({r.choice(PARTIES)}) werfen {r.choice(ORGS_DAT)} vor, "
            f"{r.choice(INF_CLAUSES)} sei nur ein Vorwand."
        )
    if k == 5:
        return (
            f"Die Entscheidung soll bis zum {r.randint(1, 28)}. {r.choice(MONTHS)} fallen, wie "
            f"{r.choice(ORGS)} in {r.choice(PLACES)} mitteilte."
        )
    if k == 6:
        return (
            f"Dr. {r.choice(LAST)} vom Institut für {r.choice(FIELDS)} in {r.choice(PLACES)} hält "
            f"{r.choice(OBJECTS)} für {r.choice(ADJ)}."
        )
    if k == 7:
        return (
            f"Insgesamt seien rund {r.randint(2, 900)} Mio. Euro eingeplant, u. a. für neue "
            f"{r.choice(NOUNS_PL)} in {r.choice(PLACES)}."
        )
    if k == 8:
        return f"Ob {r.choice(ORGS)} {r.choice(OBJECTS)} tatsächlich {r.choice(VINF)} wird, ist unklar."
    if k == 9:
        return r.choice(
            [
                "Wie geht es weiter?",
                "Was bedeutet das für die Betroffenen?",
                "Doch reicht das aus?",
                "Warum erst jetzt?",
            ]
        )
    if k == 10:
        return (
            f"In {r.choice(PLACES)} demonstrierten am {r.choice(WEEKDAYS)}abend nach Polizeiangaben "
            f"etwa {r.randint(2, 40) * 100} Menschen gegen {r.choice(OBJECTS)}."
        )
    return (
        f"Seit dem {r.randint(1, 28)}. {r.choice(MONTHS)} gelten z. B. strengere Regeln für "
        f"{r.choice(NOUNS_PL)}, teilte {r.choice(ROLES)} {_name(r)} mit."
    )


def _title(r: random.Random) -> str:
    return r.choice(
        [
            f"{r.choice(TOPICS)}: {_cap(r.choice(ORGS))} unter Druck",
            f"Streit um {r.choice(OBJECTS)} in {r.choice(PLACES)}",
            f"{r.choice(TOPICS)} – was jetzt auf {r.choice(NOUNS_PL)} zukommt",
            f"{_cap(r.choice(ORGS))} hat {r.choice(OBJECTS)} {r.choice(VPP)}",
        ]
    )


NEWSLETTER = (
    "Abonnieren Sie jetzt unseren kostenlosen Newsletter – die wichtigsten Nachrichten "
    "des Tages direkt in Ihr Postfach."
)


def synthetic_article(r: random.Random) -> str:
    """One article: title, byline, date, 250-400 words of body in paragraphs, some clutter lines."""
    target = r.randint(250, 400)
    d = dt.date(2019, 1, 1) + dt.timedelta(days=r.randrange(5 * 365))
    lines = [f"# {_title(r)}", f"Von: {_name(r)}", f"Erstellt: {d.day:02d}.{d.month:02d}.{d.year}", ""]
    paragraphs: list[str] = []
    words = 0
    while words < target:
        sents: list[str] = []
        for _ in range(r.randint(3, 6)):
            sents.append(_sentence(r))
            words += len(sents[-1].split())
            if words >= target:
                break
        paragraphs.append(" ".join(sents))
    read_also_at = r.randrange(1, max(2, len(paragraphs))) if r.random() < 0.7 else -1
    newsletter_at = r.randrange(1, max(2, len(paragraphs))) if r.random() < 0.5 else -1
    for i, para in enumerate(paragraphs):
        if i == read_also_at:
            lines += [f"Lesen Sie auch: {_title(r)}", ""]
        if i == newsletter_at:
            lines += [NEWSLETTER, ""]
        lines += [para, ""]
    if r.random() < 0.6:
        lines += ["+++", ""]
    if r.random() < 0.6:
        lines += [r.choice(["Kommentare", f"{r.randint(2, 180)} Kommentare"]), ""]
    return "\n".join(lines).rstrip() + "\n"


def synthetic_records(n: int, seed: int) -> list[str]:
    r = random.Random(seed)
    return [synthetic_article(r) for _ in range(n)]


class Corpus:
    """A corpus on disk; ``subset(k)`` gives a path holding its first k articles."""

    def __init__(self, name: str, texts: list[str], tmp: Path, as_files: bool, outlet: str | None) -> None:
        self.name = name
        self.texts = texts
        self.words = [len(t.split()) for t in texts]
        self.tmp = tmp
        self.as_files = as_files
        self.outlet = outlet
        self._paths: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.texts)

    def path(self, k: int | None = None) -> str:
        k = len(self.texts) if k is None else min(k, len(self.texts))
        if k not in self._paths:
            self._paths[k] = self._write(k)
        return self._paths[k]

    def _write(self, k: int) -> str:
        if self.as_files:
            folder = self.tmp / f"{self.name}-{k}-txt"
            folder.mkdir()
            width = len(str(k))
            for i, text in enumerate(self.texts[:k]):
                (folder / f"{i:0{width}d}.txt").write_text(text, encoding="utf-8")
            return str(folder)
        path = self.tmp / f"{self.name}-{k}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for text in self.texts[:k]:
                record = {"text": text}
                if self.outlet:
                    record["outlet"] = self.outlet
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        return str(path)


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

# ru_maxrss survives execve(): a child exec'd from a process that holds a big corpus would start with
# the parent's high-water mark. Workers are therefore started by a small launcher process that is
# itself started before any corpus is loaded.
LAUNCHER = """
import json, subprocess, sys
for line in sys.stdin:
    cmd, cwd, timeout = json.loads(line)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)
        out = {"returncode": p.returncode, "stdout": p.stdout, "stderr": p.stderr}
    except subprocess.TimeoutExpired:
        out = {"timeout": True}
    sys.stdout.write(json.dumps(out) + "\\n")
    sys.stdout.flush()
"""


class Launcher:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, cmd: list[str], timeout: float) -> dict:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps([cmd, str(REPO), timeout]) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


LAUNCH: Launcher | None = None


def measure(corpus: Corpus, k: int, backend: str, tmp: Path, timeout: float, profile: bool = False) -> dict:
    """Run one configuration (first k articles, one backend) in a fresh subprocess."""
    path = corpus.path(k)
    db = tmp / f"{corpus.name}-{k}-{backend}.db"
    if db.exists():
        db.unlink()
    script = str(Path(__file__).resolve())
    cmd = [sys.executable, script, "--worker", path, "--backend", backend, "--db", str(db)]
    prof_path = None
    if profile:
        prof_path = RESULTS / f"profile-{corpus.name}-{k}-{backend}.txt"
        prof_path.parent.mkdir(parents=True, exist_ok=True)
        cmd += ["--profile-to", str(prof_path)]
    print(
        f"  running {corpus.name} ({k:,} articles, {'txt files' if corpus.as_files else 'JSONL'}) "
        f"backend={backend}{' (profiled)' if profile else ''} ...",
        flush=True,
    )
    assert LAUNCH is not None
    proc = LAUNCH.run(cmd, timeout)
    if proc.get("timeout"):
        return {"corpus": corpus.name, "backend": backend, "error": f"timed out after {timeout:.0f} s"}
    line = next((ln for ln in proc["stdout"].splitlines() if ln.startswith("RESULT ")), None)
    if proc["returncode"] != 0 or line is None:
        print(proc["stderr"][-4000:], file=sys.stderr)
        return {
            "corpus": corpus.name,
            "backend": backend,
            "error": f"worker exited {proc['returncode']}",
            "stderr": proc["stderr"][-4000:],
        }
    res = json.loads(line[len("RESULT ") :])
    if prof_path is not None:
        res["profile"] = str(prof_path.relative_to(REPO))
    words = sum(corpus.words[:k])
    res.update(
        corpus=corpus.name,
        input="txt files" if corpus.as_files else "jsonl",
        articles=k,
        corpus_articles=len(corpus),
        backend=backend,
        words=words,
        articles_per_s=k / res["seconds"],
        words_per_s=words / res["seconds"],
    )
    db.unlink(missing_ok=True)
    print(
        f"    {res['seconds']:.1f} s, {res['articles_per_s']:.1f} articles/s, "
        f"rerun {res['rerun_seconds']:.2f} s, peak RSS {res['peak_rss_mb']:.0f} MB "
        f"(added {res['added']}, failed {res['failed']})",
        flush=True,
    )
    return res


def measure_with_budget(corpus: Corpus, backend: str, args: argparse.Namespace, tmp: Path) -> list[dict]:
    n = len(corpus)
    timeout = args.budget * 3
    if args.profile:
        k = min(n, args.estimate_n)
        res = measure(corpus, k, backend, tmp, timeout, profile=True)
        res.setdefault("note", "PROFILED (cProfile overhead; not a throughput figure)")
        return [res]
    if n <= args.estimate_n:
        return [measure(corpus, n, backend, tmp, timeout)]
    est = measure(corpus, args.estimate_n, backend, tmp, timeout)
    if "error" in est:
        return [est]
    estimated_full = est["seconds"] * n / args.estimate_n
    if estimated_full > args.budget:
        est["note"] = (
            f"SUBSET: first {args.estimate_n:,} of {n:,} articles; full run estimated "
            f"{estimated_full:.0f} s > budget {args.budget:.0f} s"
        )
        print(
            f"    full {n:,} estimated at {estimated_full:.0f} s > budget {args.budget:.0f} s: "
            f"reporting the {args.estimate_n:,}-article subset",
            flush=True,
        )
        return [est]
    print(f"    full {n:,} estimated at {estimated_full:.0f} s: running it", flush=True)
    full = measure(corpus, n, backend, tmp, timeout)
    if "error" not in full:
        full["note"] = f"estimate from {args.estimate_n:,}-article subset: {estimated_full:.0f} s"
    est["note"] = "estimate run (subset)"
    return [est, full]


def table(rows: list[dict]) -> str:
    head = [
        "corpus",
        "input",
        "articles",
        "backend",
        "seconds",
        "articles/s",
        "words/s",
        "peak RSS MB",
        "rerun s",
        "note",
    ]
    body = []
    for r in rows:
        if "error" in r:
            body.append([r.get("corpus", "?"), "", "", r.get("backend", ""), "", "", "", "", "", r["error"]])
            continue
        body.append(
            [
                r["corpus"],
                r["input"],
                f"{r['articles']:,}",
                r["backend"],
                f"{r['seconds']:.1f}",
                f"{r['articles_per_s']:.1f}",
                f"{r['words_per_s']:,.0f}",
                f"{r['peak_rss_mb']:.0f}",
                f"{r['rerun_seconds']:.2f}",
                r.get("note", ""),
            ]
        )
    widths = [max(len(h), *(len(row[i]) for row in body)) if body else len(h) for i, h in enumerate(head)]
    right = {2, 4, 5, 6, 7, 8}

    def fmt(cells: list[str]) -> str:
        return (
            "| "
            + " | ".join(
                c.rjust(w) if i in right else c.ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    rules = [("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)]
    sep = "|" + "|".join(rules) + "|"
    return "\n".join([fmt(head), sep, *(fmt(row) for row in body)])


def git_state() -> dict:
    """HEAD and the files under src/ that differ from it: the code that was measured."""

    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], capture_output=True, text=True, cwd=REPO, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return ""

    return {
        "head": git("rev-parse", "--short", "HEAD").strip(),
        "src_changes": git("status", "--short", "--", "src").splitlines(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description="Throughput of lagebild.api.analyze (ingest + clean + metadata + sentences + SQLite "
        "store) on 10kGNAD test and a synthetic corpus, per sentence backend, each in a fresh subprocess.",
    )
    ap.add_argument("--n", type=int, default=20000, help="synthetic corpus size (default 20000)")
    ap.add_argument(
        "--seed", type=int, default=20261123, help="seed of the synthetic corpus (default 20261123)"
    )
    ap.add_argument(
        "--as-files",
        action="store_true",
        help="write the synthetic corpus as one .txt file per article instead of one JSONL file",
    )
    ap.add_argument("--corpora", default="10kgnad,synthetic", help="comma-separated: 10kgnad,synthetic")
    ap.add_argument("--backends", default="somajo,regex", help="comma-separated: somajo,regex")
    ap.add_argument(
        "--budget",
        type=float,
        default=600.0,
        help="seconds one full run may take; longer runs are reported on a subset (default 600)",
    )
    ap.add_argument(
        "--estimate-n",
        type=int,
        default=2000,
        help="subset size used to estimate the full run time (default 2000)",
    )
    ap.add_argument("--out", default=str(RESULTS / "throughput.json"), help="JSON result file")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the temporary corpus directory")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="instead of timing: run cProfile over the first min(n, --estimate-n) articles of "
        "each configuration and write bench/results/profile-<corpus>-<n>-<backend>.txt",
    )
    ap.add_argument("--worker", metavar="INPUT", help=argparse.SUPPRESS)
    ap.add_argument("--profile-to", help=argparse.SUPPRESS)
    ap.add_argument("--backend", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        run_worker(args.worker, args.backend, args.db, args.profile_to)
        return

    global LAUNCH
    LAUNCH = Launcher()  # before any corpus is in memory (see LAUNCHER)

    corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="lagebild-bench-"))
    rows: list[dict] = []
    skipped: list[str] = []
    started = time.time()
    try:
        for name in corpora:
            if name == "10kgnad":
                if not GNAD.exists():
                    msg = f"skipped: {GNAD_DISPLAY} not found"
                    print(msg, flush=True)
                    skipped.append(msg)
                    continue
                corpus = Corpus("10kgnad", gnad_records(), tmp, as_files=False, outlet="Der Standard")
            elif name == "synthetic":
                t = time.perf_counter()
                corpus = Corpus("synthetic", synthetic_records(args.n, args.seed), tmp, args.as_files, None)
                corpus.path()  # write the full corpus up front (not timed)
                print(
                    f"synthetic corpus: {len(corpus):,} articles, {sum(corpus.words):,} words, "
                    f"{len(set(corpus.texts)):,} distinct, written in {time.perf_counter() - t:.1f} s",
                    flush=True,
                )
            else:
                raise SystemExit(f"unknown corpus {name!r} (use 10kgnad, synthetic)")
            for backend in backends:
                rows += measure_with_budget(corpus, backend, args, tmp)
    finally:
        LAUNCH.close()
        if args.keep_tmp:
            print(f"temporary files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(table(rows))
    for s in skipped:
        print(s)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": "throughput",
        "date": dt.date.today().isoformat(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "git": git_state(),
        "args": {k: v for k, v in vars(args).items() if k not in ("worker", "backend", "db", "profile_to")},
        "wall_seconds": time.time() - started,
        "skipped": skipped,
        "rows": rows,
    }
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
