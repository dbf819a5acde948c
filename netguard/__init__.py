"""The private-address guard every request of ipwatch goes through, whoever makes it.

``policy`` says which URLs may be fetched; ``proxy`` holds Chromium to it (the crawl's rendering
browser and the evidence capture browser alike). Standard library only: crawler, evidence and the
services all import it, so it sits at the bottom of the layers, beside ``config``.
"""
