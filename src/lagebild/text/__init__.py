"""Text utilities shared by stages: blocks with offsets, Markdown to plain text."""
