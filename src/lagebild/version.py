"""The package version, in a module of its own: the report and the web app show it without importing
the package's ``__init__`` (which imports them through the API: an import cycle)."""

__version__ = "0.1.0"
