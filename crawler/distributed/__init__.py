"""Distributed crawling on scrapy-redis: one frontier, leases, shared politeness, one sealer."""
