"""Full-text search and the small indexes the web UI reads (SQLite only).

Everything here is derived from the ``articles`` table and kept current by triggers, so every
writer (``analyze``, ``--reprocess``, user code calling ``Store.put``) updates it incrementally:

* ``articles_fts``: FTS5 over title and clean text (external content: a view over ``articles``,
  so the text is not stored twice); diacritics folded, so "Gesprache" finds "Gespräche";
* ``article_actors``: per article and linked actor the number of mentions (and the article's date);
* ``actor_pairs``: per pair of actors the number of articles that mention both;
* ``quote_index``: one row per quote with the speaker key (actor id, else ``name:<name>``);
* ``event_index``: one row per event (action, actor, target, time) for the timeline;
* ``actor_totals``, ``speaker_totals``, ``facet_totals``: running totals (mentions, quotes,
  articles per outlet/language/month), so the overview never scans the corpus.

:func:`install` runs when a store is opened: it creates the objects once per ``INDEX_VERSION`` and
fills them from the stored articles (:func:`rebuild`). Searching is in :mod:`lagebild.store.search`.
This module works on a ``sqlite3`` connection; :func:`lagebild.store.sqlite.connection` gives a
store's.
"""

from __future__ import annotations

import sqlite3

from lagebild.errors import StoreError

__all__ = ["INDEX_VERSION", "install", "rebuild", "statements"]

INDEX_VERSION = "4"

_MONTH = "coalesce(substr({r}.published, 1, 7), '(undated)')"
_SPEAKER_KEY = (
    "CASE WHEN json_extract(q.value, '$.actor_id') IS NOT NULL "
    "AND json_extract(q.value, '$.actor_id') NOT LIKE 'doc:%' THEN json_extract(q.value, '$.actor_id') "
    "ELSE 'name:' || lower(coalesce(json_extract(q.value, '$.speaker_name'), "
    "json_extract(q.value, '$.speaker'), 'unattributed')) END"
)
_SPEAKER_NAME = (
    "coalesce(json_extract(q.value, '$.speaker_name'), json_extract(q.value, '$.speaker'), 'unattributed')"
)


def _add(r: str) -> str:
    """SQL statements that index the article row ``r``: ``new`` in triggers, every row ``a`` in a rebuild."""
    rows = "" if r == "new" else "articles a, "
    return f"""
    INSERT INTO article_actors (article_rowid, actor_id, mentions, published)
      SELECT {r}.rowid, json_extract(m.value, '$.actor_id'), count(*), {r}.published
      FROM {rows}json_each({r}.data, '$.mentions') m
      WHERE json_extract(m.value, '$.actor_id') NOT LIKE 'doc:%'
      GROUP BY {r}.rowid, json_extract(m.value, '$.actor_id');
    INSERT INTO quote_index (article_rowid, idx, speaker_key, speaker_name, actor_id, kind, text, published)
      SELECT {r}.rowid, q.key, {_SPEAKER_KEY}, {_SPEAKER_NAME}, json_extract(q.value, '$.actor_id'),
        json_extract(q.value, '$.kind'), json_extract(q.value, '$.text'), {r}.published
      FROM {rows}json_each({r}.data, '$.quotes') q;
    INSERT INTO event_index (article_rowid, idx, action, actor, target, time, published)
      SELECT {r}.rowid, e.key, json_extract(e.value, '$.action'), json_extract(e.value, '$.actor'),
        json_extract(e.value, '$.target'), json_extract(e.value, '$.time'), {r}.published
      FROM {rows}json_each({r}.data, '$.events') e;
    """


_FACETS = (
    ("outlet", "coalesce({r}.outlet, '(unknown)')"),
    ("language", "coalesce({r}.language, '(unknown)')"),
)


def _facet_sql(r: str, sign: str) -> str:
    parts = [*_FACETS, ("month", _MONTH)]
    return "".join(
        f"INSERT INTO facet_totals (facet, value, n) VALUES ('{name}', {expr.format(r=r)}, {sign}1) "
        f"ON CONFLICT(facet, value) DO UPDATE SET n = n {sign} 1;\n"
        for name, expr in parts
    )


_REMOVE_OLD = """
    INSERT INTO articles_fts (articles_fts, rowid, title, body)
      VALUES ('delete', old.rowid, old.title, json_extract(old.data, '$.clean_text'));
    DELETE FROM article_actors WHERE article_rowid = old.rowid;
    DELETE FROM quote_index WHERE article_rowid = old.rowid;
    DELETE FROM event_index WHERE article_rowid = old.rowid;
"""
_ADD_NEW = """
    INSERT INTO articles_fts (rowid, title, body)
      VALUES (new.rowid, new.title, json_extract(new.data, '$.clean_text'));
"""

_SCHEMA = f"""
CREATE VIEW articles_text (rid, title, body) AS
  SELECT rowid, title, json_extract(data, '$.clean_text') FROM articles;
CREATE VIRTUAL TABLE articles_fts USING fts5 (title, body, content='articles_text', content_rowid='rid',
  tokenize='unicode61 remove_diacritics 2', prefix='3 4');
CREATE TABLE article_actors (
  actor_id TEXT NOT NULL, article_rowid INTEGER NOT NULL, mentions INTEGER NOT NULL, published TEXT,
  PRIMARY KEY (actor_id, article_rowid)) WITHOUT ROWID;
CREATE INDEX article_actors_article ON article_actors (article_rowid, actor_id);
CREATE INDEX article_actors_time ON article_actors (actor_id, published, mentions);
CREATE TABLE actor_pairs (a TEXT NOT NULL, b TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE INDEX actor_pairs_top ON actor_pairs (a, n);
CREATE TABLE quote_index (
  article_rowid INTEGER NOT NULL, idx INTEGER NOT NULL, speaker_key TEXT NOT NULL, speaker_name TEXT NOT NULL,
  actor_id TEXT, kind TEXT, text TEXT, published TEXT, PRIMARY KEY (article_rowid, idx));
CREATE INDEX quote_index_time ON quote_index (published);
CREATE INDEX quote_index_speaker ON quote_index (speaker_key, published);
CREATE INDEX quote_index_actor ON quote_index (actor_id, published) WHERE actor_id IS NOT NULL;
CREATE TABLE event_index (
  article_rowid INTEGER NOT NULL, idx INTEGER NOT NULL, action TEXT NOT NULL, actor TEXT, target TEXT,
  time TEXT, published TEXT, PRIMARY KEY (article_rowid, idx));
CREATE INDEX event_index_actor ON event_index (actor);
CREATE INDEX event_index_target ON event_index (target);
CREATE INDEX event_index_action ON event_index (action, time);
CREATE TABLE actor_totals (actor_id TEXT PRIMARY KEY, mentions INTEGER NOT NULL DEFAULT 0,
  articles INTEGER NOT NULL DEFAULT 0, quotes INTEGER NOT NULL DEFAULT 0);
CREATE INDEX actor_totals_mentions ON actor_totals (mentions DESC);
CREATE TABLE speaker_totals (speaker_key TEXT PRIMARY KEY, name TEXT NOT NULL,
  quotes INTEGER NOT NULL DEFAULT 0);
CREATE INDEX speaker_totals_quotes ON speaker_totals (quotes DESC);
CREATE TABLE facet_totals (facet TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (facet, value));

CREATE TRIGGER article_actors_ai AFTER INSERT ON article_actors BEGIN
  INSERT INTO actor_totals (actor_id, mentions, articles) VALUES (new.actor_id, new.mentions, 1)
    ON CONFLICT(actor_id) DO UPDATE SET mentions = mentions + new.mentions, articles = articles + 1;
  INSERT INTO actor_pairs (a, b, n)
    SELECT new.actor_id, o.actor_id, 1 FROM article_actors o
    WHERE o.article_rowid = new.article_rowid AND o.actor_id != new.actor_id
    UNION ALL
    SELECT o.actor_id, new.actor_id, 1 FROM article_actors o
    WHERE o.article_rowid = new.article_rowid AND o.actor_id != new.actor_id
    ON CONFLICT(a, b) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER article_actors_ad AFTER DELETE ON article_actors BEGIN
  UPDATE actor_totals SET mentions = mentions - old.mentions, articles = articles - 1
    WHERE actor_id = old.actor_id;
  UPDATE actor_pairs SET n = n - 1
    WHERE (a = old.actor_id
           AND b IN (SELECT actor_id FROM article_actors WHERE article_rowid = old.article_rowid))
       OR (b = old.actor_id
           AND a IN (SELECT actor_id FROM article_actors WHERE article_rowid = old.article_rowid));
END;
CREATE TRIGGER quote_index_ai AFTER INSERT ON quote_index BEGIN
  INSERT INTO speaker_totals (speaker_key, name, quotes) VALUES (new.speaker_key, new.speaker_name, 1)
    ON CONFLICT(speaker_key) DO UPDATE SET quotes = quotes + 1;
  UPDATE actor_totals SET quotes = quotes + 1 WHERE actor_id = new.actor_id;
END;
CREATE TRIGGER quote_index_ad AFTER DELETE ON quote_index BEGIN
  UPDATE speaker_totals SET quotes = quotes - 1 WHERE speaker_key = old.speaker_key;
  UPDATE actor_totals SET quotes = quotes - 1 WHERE actor_id = old.actor_id;
END;
CREATE TRIGGER articles_index_ai AFTER INSERT ON articles BEGIN
  {_ADD_NEW}{_add("new")}{_facet_sql("new", "+")}
END;
CREATE TRIGGER articles_index_ad AFTER DELETE ON articles BEGIN
  {_REMOVE_OLD}{_facet_sql("old", "-")}
END;
CREATE TRIGGER articles_index_au AFTER UPDATE ON articles BEGIN
  {_REMOVE_OLD}{_facet_sql("old", "-")}{_ADD_NEW}{_add("new")}{_facet_sql("new", "+")}
END;
"""

_OBJECTS = (
    ("TRIGGER", "articles_index_ai"),
    ("TRIGGER", "articles_index_ad"),
    ("TRIGGER", "articles_index_au"),
    ("TABLE", "articles_fts"),
    ("VIEW", "articles_text"),
    ("TABLE", "article_actors"),
    ("TABLE", "actor_pairs"),
    ("TABLE", "quote_index"),
    ("TABLE", "event_index"),
    ("TABLE", "actor_totals"),
    ("TABLE", "speaker_totals"),
    ("TABLE", "facet_totals"),
)


def statements(script: str) -> list[str]:
    """Split a script into statements (trigger bodies hold semicolons); executescript would commit."""
    out: list[str] = []
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n;"):
                out.append(buf.strip())
            buf = ""
    return out


# FTS5 keeps the index in these shadow tables; a missing one breaks every search, and even the
# DROP of the index, so it is put back (as an empty index has it: averages, structure, version)
# before the drop.
_SEED: dict[str, list[tuple[object, object]]] = {
    "articles_fts_data": [(1, b""), (10, bytes(7))],
    "articles_fts_config": [("version", 4)],
}
_SHADOW = {
    "articles_fts_data": "(id INTEGER PRIMARY KEY, block BLOB)",
    "articles_fts_idx": "(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID",
    "articles_fts_docsize": "(id INTEGER PRIMARY KEY, sz BLOB)",
    "articles_fts_config": "(k PRIMARY KEY, v) WITHOUT ROWID",
}


def _current(db: sqlite3.Connection) -> bool:
    """Whether the index is of this version and every object of it exists (none was dropped)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'index_version'").fetchone()
    if row is None or row[0] != INDEX_VERSION:
        return False
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    return {name for _, name in _OBJECTS} | set(_SHADOW) <= names


def install(db: sqlite3.Connection, path: str = "") -> None:
    """Create the search index and its triggers if this database lacks them, has an older version
    of them or lost a part of them (a dropped table): they are rebuilt from the stored articles."""
    from lagebild.store.connect import immediate

    def create(db: sqlite3.Connection) -> None:
        if _current(db):  # another process built it while this one waited for the lock
            return
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        if "articles_fts" in names:
            for name, columns in _SHADOW.items():
                if name not in names:
                    db.execute(f"CREATE TABLE {name} {columns}")
                    db.executemany(f"INSERT INTO {name} VALUES (?, ?)", _SEED.get(name, []))
        for kind, name in _OBJECTS:
            db.execute(f"DROP {kind} IF EXISTS {name}")
        for statement in statements(_SCHEMA):
            db.execute(statement)
        _fill(db)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('index_version', ?)", (INDEX_VERSION,))

    try:
        if _current(db):
            return
        immediate(db, path or "the database", create)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot create the search index: {exc}") from exc
    except StoreError as exc:
        raise StoreError(f"cannot create the search index: {exc}") from exc


def _fill(db: sqlite3.Connection) -> None:
    for table in (
        "article_actors",
        "quote_index",
        "event_index",
        "actor_totals",
        "actor_pairs",
        "speaker_totals",
        "facet_totals",
    ):
        db.execute(f"DELETE FROM {table}")
    db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    for statement in statements(_add("a")):
        db.execute(statement)
    for name, expr in (*_FACETS, ("month", _MONTH)):
        db.execute(
            f"INSERT INTO facet_totals SELECT '{name}', {expr.format(r='a')}, count(*) "
            "FROM articles a GROUP BY 2"
        )


def rebuild(db: sqlite3.Connection, path: str = "the database") -> None:
    """Recompute the search index and totals from the stored articles (after a manual edit of the file).

    ``db``: the store's connection (:func:`lagebild.store.sqlite.connection`).
    """
    from lagebild.store.connect import immediate

    try:
        immediate(db, path, _fill)
    except StoreError as exc:
        raise StoreError(f"cannot rebuild the search index: {exc}") from exc
