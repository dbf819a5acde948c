"""ipwatch: infringement monitoring. The CLI and the workspace that wires the packages together."""

__version__ = "0.1.0"
