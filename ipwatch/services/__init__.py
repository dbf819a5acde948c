"""The application core: one use-case per module, shared by every front door.

Each service takes the narrow parts it needs (usually the :class:`Workspace`, which opens them
lazily), returns result objects and raises :mod:`ipwatch.services.errors`; none prints, and
none knows whether a terminal, a web page or a scheduler called it.
"""
