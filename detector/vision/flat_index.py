"""Which flat references a photo's colours allow, found in one sparse product for all of them.

A flat reference is only worth segmenting and aligning when every one of its colours covers,
somewhere in the photo, the share its smallest print would need. Asked reference by reference,
that question costs a Python loop and a 4,096-bin product per registered logo per photo. Here
every reference colour is a list of Lab bins (those within the colour tolerance, about 70 of
4,096), all lists in one array, so one gather and one segmented sum over the photo's histogram
answer it for the whole registry, and only the few references whose colours are all present
go on to the costly stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

GATE_SHARE = 0.5  # of a smallest print's pixels of a colour the whole photo must hold


def colours_short(present: np.ndarray, need: np.ndarray, smallest: float) -> np.ndarray:
    """Which colours the photo holds too few pixels of: ``present`` pixels of each colour,
    against ``need`` (the colour's share of the logo times the logo's fill) of a print of
    ``smallest`` pixels (a share of the photo's area). The one gate formula, used for the whole
    registry at once (``FlatIndex``) and for one reference (``FlatScene.find``)."""
    return np.asarray(present < GATE_SHARE * smallest * need)


if TYPE_CHECKING:
    from collections.abc import Sequence

    from detector.vision.flat_logos import FlatReference


class FlatIndex:
    """Every reference colour's Lab bins end to end, and the share each colour must cover."""

    def __init__(self, refs: Sequence[FlatReference]) -> None:
        self.refs = list(refs)
        bins: list[np.ndarray] = []
        owner: list[int] = []
        need: list[float] = []
        for i, ref in enumerate(self.refs):
            for colour, share in enumerate(ref.shares):
                bins.append(np.flatnonzero(ref.lut == colour))
                owner.append(i)
                need.append(float(share) * ref.fill)
        sizes = [len(b) for b in bins]
        self._bins = np.concatenate(bins) if bins else np.zeros(0, np.int64)
        self._starts = np.cumsum([0, *sizes[:-1]]).astype(np.int64)
        self._owner = np.array(owner, np.int64)
        self._need = np.array(need, np.float64)

    def candidates(self, histogram: np.ndarray, smallest: float) -> list[FlatReference]:
        """References whose every colour covers at least half of what a print of
        ``smallest`` pixels (times the reference's own fill and colour share) needs."""
        if not self.refs:
            return []
        present = np.add.reduceat(histogram[self._bins].astype(np.float64), self._starts)
        short = colours_short(present, self._need, smallest)
        failed = np.zeros(len(self.refs), bool)
        failed[self._owner[short]] = True
        return [ref for ref, bad in zip(self.refs, failed, strict=True) if not bad]
