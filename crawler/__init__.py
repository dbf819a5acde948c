"""The Scrapy project: one generic, profile-driven marketplace spider and its pipelines."""
