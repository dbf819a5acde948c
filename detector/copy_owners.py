"""One owner per copied photo: when a listing photo matches two owners' registered photos, the
best-matching one is the source, unless both are verified strongly.

Two firms may register similar photos (white sneakers on white, a bottle on a plain ground); a
seller's copy of one of them then also looks like the other, and reporting it to both owners
sends one of them a finding about a photo that is not theirs. Each contested pair is checked
geometrically (SIFT, ratio test, MAGSAC++ homography, ``CopyChecker``): the reference with the
most features agreeing on one placement wins (the copy's score breaks a tie). A second owner
keeps its finding only when both references pass that check with at least ``STRONG_INLIERS``
inliers: then the photo really holds both (a collage, a bundle shot), and both are told. Photos
of one owner's several assets are not contested: the owner sees them together anyway.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import numpy as np

    from detector.vision.copycheck import CopyChecker
    from model import Asset, ListingImage, Signal

STRONG_INLIERS = 40  # features on one homography that verify a copy beyond a look-alike


def _pairs(signal: Signal) -> list[dict[str, Any]]:
    pairs = signal.evidence.get("pairs")
    return list(pairs) if pairs else [signal.evidence]


def one_owner_per_copy(
    signals: Mapping[str, Signal],
    assets: Mapping[str, Asset],
    images: Sequence[ListingImage],
    checker: CopyChecker,
    strong_inliers: int = STRONG_INLIERS,
) -> dict[str, Signal]:
    """The copy signals without the owners that lost every listing photo they were matched on;
    the winner's evidence names each owner it was contested with and the inlier counts."""
    by_url = {image.url: image for image in images if image.image is not None}
    contenders: dict[str, dict[str, str]] = defaultdict(dict)  # url -> asset id -> reference
    for asset_id, signal in signals.items():
        for pair in _pairs(signal):
            url, sha = pair.get("listing_image_url"), pair.get("reference_sha256")
            if url in by_url and sha is not None:
                contenders[url].setdefault(asset_id, sha)
    lost: dict[str, set[str]] = defaultdict(set)
    described: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for url, refs in sorted(contenders.items()):
        if len({assets[a].owner for a in refs}) < 2:
            continue
        photo = by_url[url].image
        assert photo is not None
        if url not in described:
            described[url] = checker.listing_features(photo)
        inliers = {}
        for asset_id, sha in refs.items():
            reference = next((r.image for r in assets[asset_id].images if r.sha256 == sha), None)
            checked = None if reference is None else checker.check(sha, reference, described[url])
            inliers[asset_id] = 0 if checked is None else checked.inliers
        ranked = sorted(refs, key=lambda a: (-inliers[a], -signals[a].score, a))
        winner = ranked[0]
        contested = []
        for other in ranked[1:]:
            if assets[other].owner == assets[winner].owner:
                continue
            both = min(inliers[winner], inliers[other]) >= strong_inliers
            if not both:
                lost[other].add(url)
            contested.append(
                {
                    "listing_image_url": url,
                    "asset_id": other,
                    "owner": assets[other].owner,
                    "inliers": inliers[other],
                    "winner_inliers": inliers[winner],
                    "kept": both,
                }
            )
        if contested:
            signals[winner].evidence.setdefault("contested_with", []).extend(contested)
    out = {}
    for asset_id, signal in signals.items():
        urls = {p.get("listing_image_url") for p in _pairs(signal)}
        if urls and urls <= lost.get(asset_id, set()):
            continue  # every photo it was matched on is another owner's copy
        out[asset_id] = signal
    return out
