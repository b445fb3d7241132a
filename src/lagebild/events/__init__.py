"""Events and the cross-outlet timeline (issue P4).

``extract_events(article)`` finds sentence-level PLOVER events with trigger lexicons
(``events/data/de.toml``, ``en.toml``) and the article's linked mentions, time expressions and quotes;
``build_timeline(articles)`` merges the events of many articles into one entry per real event, ordered
by event time.
"""

from __future__ import annotations

from lagebild.events.extract import extract_events
from lagebild.events.lexicon import PLOVER, load_lexicon
from lagebild.events.timeline import Report, TimelineEntry, build_timeline

__all__ = ["extract_events", "load_lexicon", "PLOVER", "build_timeline", "TimelineEntry", "Report"]
