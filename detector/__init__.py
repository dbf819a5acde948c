"""Pure detection library: a Listing (and its decoded images) in, Findings out.

No Scrapy, no storage: the crawl pipeline and ``ipwatch rescan`` call the same code.
"""
