"""Anti-bot walls as real marketplaces serve them, for the ``challenge``, ``captcha`` and
``empty`` faults: the crawler must recognise each as a block, never as a shop with no listings.
"""

from __future__ import annotations

from demomarket import pages

CHALLENGE_HTML = """<!DOCTYPE html>
<html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head>
<body><div id="cf-browser-verification" class="cf-im-under-attack">
<h1>Checking your browser before accessing the shop.</h1>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/jsch/v1"></script>
</div></body></html>
"""

CAPTCHA_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>安全验证</title></head>
<body><div id="nocaptcha" class="nc-container">
<p>请拖动滑块完成验证 (slide to verify)</p>
<span class="nc_iconfont btn_slide">&gt;&gt;</span>
<p>滑动验证</p>
</div></body></html>
"""


def challenge() -> tuple[int, bytes, dict[str, str]]:
    """Cloudflare's interstitial: 403, ``cf-mitigated: challenge``, "Just a moment..."."""
    return 403, CHALLENGE_HTML.encode("utf-8"), {"cf-mitigated": "challenge"}


def captcha() -> tuple[int, bytes, dict[str, str]]:
    """A slider captcha served with 200 OK, as Alibaba-style shops do."""
    return 200, CAPTCHA_HTML.encode("utf-8"), {}


def empty() -> tuple[int, bytes, dict[str, str]]:
    """A soft block: 200, the shop's frame, no listings and no "0 results" line."""
    text = pages.message("Search", "Please try again later.")
    return 200, text.encode("utf-8"), {}
