"""Declarative configuration: marketplace profiles, lexicons, thresholds (pydantic-validated)."""
