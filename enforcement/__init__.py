"""Enforcement: what is done with confirmed findings (seller networks, repeat-infringer record).

Pure library code over the domain model: no storage, crawling or front door.
"""
