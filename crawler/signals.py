"""The crawl's own Scrapy signals (sent with ``crawler.signals``, like Scrapy's)."""

# Sent by the index pipeline just before a listing's upsert, with ``item`` (its ``extra`` holds
# ``expected_change``, what the detect pipeline read from the stored record). Whoever keeps what
# a run saw beyond this process (the job's journal, a distributed run's Redis keys) writes it
# now, not only after the upsert: a kill between the upsert and that report would leave the
# page to be done again, and the second upsert finds what the first stored and says
# "unchanged" for a listing this run found new or changed.
listing_recording = object()
