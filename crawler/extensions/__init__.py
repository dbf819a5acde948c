"""Scrapy extensions: crawl-run bookkeeping."""
