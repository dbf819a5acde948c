"""ipwatch: infringement monitoring. The CLI and the workspace that wires the packages together."""

from config.version import TOOL_VERSION

__version__ = TOOL_VERSION
