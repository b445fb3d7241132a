"""Metadata read from the text itself: dates, title, authors, outlet, provenance notes."""
