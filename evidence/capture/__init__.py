"""Capture: a page in a real browser (screenshot, HTML, exchanges, TLS) and its WARC records."""
