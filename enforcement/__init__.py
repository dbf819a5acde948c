"""Takedown notices as files a person sends: formats (data: a YAML descriptor and a Jinja2
template per marketplace format), and the renderer that escapes hostile listing text for each
output (HTML escaped, CSV cells quoted and formula-neutralised, plain text made one-line).

A library: the services gather confirmed findings into ``NoticeContent`` and call ``render``.
Imports only ``config`` and the standard library besides Jinja2 and YAML.
"""

from __future__ import annotations
