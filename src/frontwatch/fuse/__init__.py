"""Fusion: duplicate articles, one event from many reports, control over time."""
