"""Built-in markers of anti-bot walls (Cloudflare, Akamai, PerimeterX, DataDome, captchas).

Each marker is plain text found in the page, matched case-insensitively; a marker belongs to
one kind. Markers are specific (vendor names, script paths, fixed titles) so an ordinary
listing that mentions "captcha" in its description is not taken for a wall.
"""

from __future__ import annotations

CHALLENGE = "challenge"  # a JavaScript or interstitial check ("Just a moment...")
CAPTCHA = "captcha"  # a puzzle a person must solve
RATE_LIMITED = "rate_limited"  # 429, or a 503 with Retry-After and no other marker
FORBIDDEN = "forbidden"  # an access-denied wall (403 with a vendor marker, 访问受限)
PATTERN = "pattern"  # a profile's own pattern or status code matched

KINDS = (CHALLENGE, CAPTCHA, RATE_LIMITED, FORBIDDEN, PATTERN)

# (marker, kind, anywhere): the first match decides the kind; captchas first, as walls often
# carry both. Markers with ``anywhere=False`` are vendor scripts that ordinary pages load too:
# they count only on a wall status (403, 429, 503); the others are the walls' own words.
MARKERS: tuple[tuple[str, str, bool], ...] = (
    ("px-captcha", CAPTCHA, True),  # PerimeterX "press and hold"
    ("captcha-delivery.com", CAPTCHA, True),  # DataDome's captcha
    ("geetest_", CAPTCHA, True),
    ("nc_iconfont", CAPTCHA, True),  # Alibaba's slider (noCaptcha)
    ("slide to verify", CAPTCHA, True),
    ("滑动验证", CAPTCHA, True),
    ("请输入验证码", CAPTCHA, True),
    ("请完成安全验证", CAPTCHA, True),
    ("please verify you are a human", CAPTCHA, True),
    ("g-recaptcha", CAPTCHA, False),
    ("h-captcha", CAPTCHA, False),
    ("just a moment...</title>", CHALLENGE, True),  # Cloudflare's interstitial
    ("cf-browser-verification", CHALLENGE, True),
    ("checking your browser before accessing", CHALLENGE, True),
    ("attention required! | cloudflare", FORBIDDEN, True),
    ("访问受限", FORBIDDEN, True),
    ("访问被拒绝", FORBIDDEN, True),
    ("errors.edgesuite.net", FORBIDDEN, True),  # Akamai's reference page
    ("/cdn-cgi/challenge-platform/", CHALLENGE, False),
    ("_incapsula_resource", CHALLENGE, False),
    ("perimeterx", CHALLENGE, False),
    ("_pxhd", CHALLENGE, False),
    ("datadome", CHALLENGE, False),
    ("access denied</title>", FORBIDDEN, False),  # Akamai
    ("you don't have permission to access", FORBIDDEN, False),
)

# Statuses a wall answers with; alone they are not a block (a 403 may be a real sign-in page).
WALL_STATUSES = frozenset({403, 429, 503})

# Only the start of a page is searched: walls are small, listings are not.
SCAN_CHARS = 64 * 1024
