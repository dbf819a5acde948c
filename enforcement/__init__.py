"""Enforcement: what is done with confirmed findings.

- takedown notices as files a person sends: formats (data: a YAML descriptor and a Jinja2
  template per marketplace format), and the renderer that escapes hostile listing text for each
  output (HTML escaped, CSV cells quoted and formula-neutralised, plain text made one-line);
- seller networks (``enforcement.networks``) and the repeat-infringer record
  (``enforcement.record``).

A library over the domain model: the services gather what it needs and call it; no storage,
crawling or front door. Imports only ``config`` and ``model`` besides Jinja2 and YAML.
"""

from __future__ import annotations
