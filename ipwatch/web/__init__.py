"""The review desk: ``ipwatch serve`` (FastAPI pages + /api/v1 over the same services)."""
