"""``lagebild serve``: a read-only web UI and JSON API over a lagebild database.

Build the app with :func:`create_app`; nothing runs at import. Needs the optional extra
``web`` (``pip install 'lagebild[web]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["create_app"]

if TYPE_CHECKING:
    from fastapi import FastAPI

    from lagebild.config import Config


def create_app(config: Config | None = None, db: str | None = None, *, token: str | None = None) -> FastAPI:
    """See :func:`lagebild.web.app.create_app`."""
    try:
        from lagebild.web.app import create_app as _create
    except ImportError as exc:
        from lagebild.errors import LagebildError

        raise LagebildError(f"the web UI needs the 'web' extra: pip install 'lagebild[web]' ({exc})") from exc
    return _create(config, db, token=token)
