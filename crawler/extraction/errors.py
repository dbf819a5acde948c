"""Errors of the extraction package; extraction itself never raises on bad pages."""

from __future__ import annotations


class PageLoadError(Exception):
    """A page file could not be read; the message says which file and what to pass instead."""


class ProfileSelectorError(ValueError):
    """A marketplace profile's selector does not compile; the message names the field to fix."""
