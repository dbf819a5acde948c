"""Errors the detector raises; callers catch ``DetectorError`` to handle any of them."""

from __future__ import annotations


class DetectorError(Exception):
    """Base class for every error raised by the ``detector`` package."""


class SettingsError(DetectorError, ValueError):
    """Detection settings are invalid; the message names the field and the fix."""


class LexiconError(DetectorError, ValueError):
    """A lexicon file is unreadable or invalid; the message names the file, entry and fix."""


class CategoryMapError(DetectorError, ValueError):
    """The category -> Nice class map is invalid; the message names the file, entry and fix."""


class UnsafeImageError(DetectorError):
    """Image bytes were refused before or while decoding; ``reason`` says what was wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
