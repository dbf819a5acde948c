"""Rights holders and their registered assets: import/export, SQL storage, detector views.

Entry point: ``Registry(url)``; import files follow the agreed YAML/JSON format (``schema.py``).
"""

from __future__ import annotations

from registry.exceptions import RegistryError, RegistryExportError, RegistryImportError
from registry.importer import ImportResult, import_file
from registry.store import DEFAULT_URL, Registry
from registry.views import AssetView, ImageView

__all__ = [
    "DEFAULT_URL",
    "AssetView",
    "ImageView",
    "ImportResult",
    "Registry",
    "RegistryError",
    "RegistryExportError",
    "RegistryImportError",
    "import_file",
]
