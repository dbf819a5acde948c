"""Real services (OpenSearch) run on 127.0.0.1 for the test suite and `make` targets."""
