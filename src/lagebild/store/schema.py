"""The SQLite tables of a lagebild database (the search index and totals are in :mod:`lagebild.store.fts`)."""

from __future__ import annotations

import sqlite3

from lagebild.errors import StoreError
from lagebild.store.fts import statements

__all__ = ["SCHEMA", "SCHEMA_VERSION", "TABLES", "create_tables", "check_version"]

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    source_format TEXT NOT NULL,
    url TEXT,
    title TEXT,
    outlet TEXT,
    language TEXT,
    published TEXT,
    published_precision TEXT,
    added_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
CREATE INDEX IF NOT EXISTS articles_language ON articles(language);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE TABLE IF NOT EXISTS sources (
    source TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    run_id INTEGER NOT NULL,
    PRIMARY KEY (source, article_id)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,
    paths TEXT NOT NULL,
    added INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS failures (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS edges (
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    method TEXT NOT NULL,
    PRIMARY KEY (source_id, target_id, kind, method)
);
CREATE INDEX IF NOT EXISTS edges_target ON edges(target_id);
CREATE INDEX IF NOT EXISTS edges_kind ON edges(kind);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    size INTEGER NOT NULL,
    start TEXT,
    end TEXT,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_members (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    PRIMARY KEY (story_id, article_id)
);
CREATE INDEX IF NOT EXISTS story_members_article ON story_members(article_id);
"""

TABLES = ("meta", "articles", "sources", "runs", "failures", "edges", "stories", "story_members")


def create_tables(db: sqlite3.Connection) -> None:
    for statement in statements(SCHEMA):
        db.execute(statement)
    if db.execute("SELECT 1 FROM meta WHERE key='schema_version'").fetchone() is None:
        db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))


def check_version(path: str, value: object) -> None:
    if value is None:
        return
    try:
        version = int(str(value))
    except ValueError:
        raise StoreError(
            f"{path}: meta.schema_version is {str(value)[:40]!r}, not a number: "
            "the file is damaged or was not written by lagebild"
        ) from None
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer lagebild (schema {version})")
