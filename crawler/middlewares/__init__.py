"""Downloader middlewares: retries with backoff and Retry-After, the private-address guard."""
