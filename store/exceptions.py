"""Exceptions raised by the store; each message says what to do next."""

from __future__ import annotations


class StoreError(Exception):
    """Base class: catch this to handle any store failure."""


class IndexConfigError(StoreError, ValueError):
    """The index URL names no usable backend."""


class BackendNotInstalledError(IndexConfigError, NotImplementedError):
    """The URL names a backend this version of ipwatch does not ship yet."""


class RecordNotFoundError(StoreError, KeyError):
    """An update named a finding or crawl run that the index does not hold."""

    def __str__(self) -> str:
        # KeyError quotes its argument; show the sentence as written.
        return str(self.args[0]) if self.args else ""


class RecordConflictError(StoreError):
    """A write would overwrite sealed data or a change made since the record was read."""


class IndexUnavailableError(StoreError):
    """The index cluster cannot be reached or refuses work for now; writes were spooled."""


class IndexReadOnlyError(StoreError):
    """A write reached an index opened read-only (its data folder is on read-only media)."""


class StoreFullError(StoreError, OSError):
    """The disk holding the index is full: nothing more can be written until space is freed."""
