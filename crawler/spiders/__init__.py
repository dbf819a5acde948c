"""Spiders. One generic spider serves every marketplace through its profile."""
