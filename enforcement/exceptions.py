"""What the enforcement library raises; each message names the file or format and the fix."""

from __future__ import annotations


class EnforcementError(Exception):
    """Base class of the enforcement library's errors."""


class NoticeFormatError(EnforcementError, ValueError):
    """A notice format's descriptor or template is missing or wrong, or the name is unknown."""
