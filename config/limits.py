"""Size limits on hostile input, each defined once; settings defaults and code read them here.

Listing content is hostile input: every byte and pixel count a page, an image or a capture may
cost is bounded by one of these. ``ipwatch.yaml`` (``crawl:``) and the Scrapy settings may lower
or raise some of them; their defaults are these values.
"""

from __future__ import annotations

MiB = 1024 * 1024

# -- pages ----------------------------------------------------------------------------------------
DOWNLOAD_MAX_BYTES = 20 * MiB  # Scrapy's DOWNLOAD_MAXSIZE: larger responses are dropped
PAGE_MAX_BYTES = 5 * MiB  # HTML parsed from a page, and rendered HTML kept from a capture

# -- images ---------------------------------------------------------------------------------------
IMAGES_PER_LISTING = 8  # images fetched (and scored) per listing
IMAGE_MAX_BYTES = 15 * MiB  # largest listing image fetched or decoded
IMAGE_MAX_PIXELS = 40_000_000  # largest image decoded (decompression bombs stop here)
# Reference images are the rights holder's own files (print-resolution originals), registered
# once by an operator, not fetched by the thousand from hostile listings: a larger cap fits them.
REFERENCE_IMAGE_MAX_BYTES = 20 * MiB

# -- evidence capture -----------------------------------------------------------------------------
CAPTURE_MAX_BODY_BYTES = 15 * MiB  # one response body kept in browser.warc
CAPTURE_MAX_TOTAL_BYTES = 64 * MiB  # all response bodies of one capture

# -- evidence verification ------------------------------------------------------------------------
# Everything one package (a WACZ or a bundle zip) may decompress while it is verified, all parts
# together: a small zip of zeros must not cost gigabytes of work. Real cases are far below it.
VERIFY_MAX_DECOMPRESSED_BYTES = 4 * 1024 * MiB
# How much of a WARC a CDXJ index line may make verify parse to find its record's headers.
VERIFY_RECORD_PROBE_BYTES = 64 * 1024
