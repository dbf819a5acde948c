"""OCR of listing photos: brand-like text rendered with real fonts onto real photographs."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from skimage import data

from detector.exceptions import SettingsError
from detector.mark_match import MarkMatch, word_mark_signal
from detector.settings import DetectionSettings
from detector.text import MarkIndex
from detector.vision import ocr
from detector.vision.ocr import ImageTextReader, OcrParams
from model import Asset, AssetKind, Listing, ListingImage

ROOT = Path(__file__).resolve().parents[2]
FONTS = {
    "latin": ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    "latin_regular": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    "cjk": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "fonts-noto-cjk"),
}
SETTINGS = DetectionSettings()
NOVAFLEX = Asset(id="A-NOVA", owner="o", kind=AssetKind.WORD_MARK, name="NOVAFLEX")
NUOWAFEI = Asset(id="A-NUO", owner="o", kind=AssetKind.WORD_MARK, name="诺瓦飞")


def _font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    path, package = FONTS[kind]
    if not Path(path).exists():
        pytest.fail(f"font {path} is missing: install the Debian package {package}")
    return ImageFont.truetype(path, size)


def _photo(name: str) -> Image.Image:
    return Image.fromarray(getattr(data, name)()).convert("RGB")


def _texture(name: str) -> Image.Image:
    """A greyscale texture photograph (brick, grass, gravel) tinted brown like packaging."""
    grey = getattr(data, name)()[:360, :480].astype(np.float32)
    tint = np.stack([grey, grey * 0.8, grey * 0.6], axis=-1).astype(np.uint8)
    return Image.fromarray(tint)


def _render(
    photo: Image.Image,
    text: str,
    *,
    font: str = "latin",
    size: int = 24,
    angle: float = 3.0,
    at: tuple[int, int] = (40, 60),
    fill: tuple[int, int, int] = (255, 255, 255),
    stroke: bool = True,
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """The photo with ``text`` printed at ``at`` turned by ``angle``; and the printed box."""
    face = _font(font, size)
    left, top, right, bottom = (int(v) for v in face.getbbox(text))
    layer = Image.new("RGBA", (right - left + 8, bottom - top + 8), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text(
        (4 - left, 4 - top),
        text,
        font=face,
        fill=(*fill, 255),
        stroke_width=max(1, size // 16) if stroke else 0,
        stroke_fill=(0, 0, 0, 255),
    )
    layer = layer.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
    out = photo.copy()
    out.paste(layer, at, layer)
    # the ink's extent, not the transparent margin of the rotated layer
    x0, y0, x1, y1 = layer.getchannel("A").getbbox() or (0, 0, 0, 0)
    return out, (at[0] + x0, at[1] + y0, at[0] + x1, at[1] + y1)


def _locates(found: tuple[int, ...], printed: tuple[int, ...]) -> bool:
    """The OCR box covers the printed ink and is not much larger (the detector pads lines)."""
    ix = max(0, min(found[2], printed[2]) - max(found[0], printed[0]))
    iy = max(0, min(found[3], printed[3]) - max(found[1], printed[1]))
    ink = (printed[2] - printed[0]) * (printed[3] - printed[1])
    area = (found[2] - found[0]) * (found[3] - found[1])
    return ix * iy >= 0.9 * ink and area <= 4 * ink


def _compact(text: str) -> str:
    return "".join(text.split()).upper()


def _listing_image(image: Image.Image, url: str) -> ListingImage:
    digest = hashlib.sha256(image.tobytes()).hexdigest()
    return ListingImage(url=url, sha256=digest, image=image)


def _listing(*images: ListingImage, title: str = "Sports water bottle 750 ml") -> Listing:
    return Listing(id="L1", marketplace="m", url="https://m.test/1", title=title, images=images)


@pytest.fixture(scope="module")
def reader() -> ImageTextReader:
    return ImageTextReader()


@pytest.mark.parametrize(
    ("photo", "text", "font", "size", "angle"),
    [
        ("coffee", "NOVAFLEX", "latin", 20, 4.0),
        ("astronaut", "TORNAVIK", "latin_regular", 16, -3.0),
        ("chelsea", "诺瓦飞", "cjk", 20, 3.0),
        ("rocket", "云帆", "cjk", 24, -5.0),
    ],
)
def test_reads_brand_text_printed_on_a_photo(
    reader: ImageTextReader, photo: str, text: str, font: str, size: int, angle: float
) -> None:
    image, printed = _render(_photo(photo), text, font=font, size=size, angle=angle)
    boxes = reader.read(image)
    hits = [b for b in boxes if _compact(b.text) == text]
    assert hits, f"read {[b.text for b in boxes]!r}, expected {text!r}"
    assert hits[0].confidence >= reader.params.min_confidence
    assert _locates(hits[0].bbox, printed), (hits[0].bbox, printed)


def test_reads_small_dark_text_on_a_texture(reader: ImageTextReader) -> None:
    image, printed = _render(
        _texture("brick"), "ZELMORA", size=14, angle=2.0, at=(200, 150), fill=(15, 15, 15)
    )
    boxes = reader.read(image)
    assert [_compact(b.text) for b in boxes] == ["ZELMORA"]
    assert _locates(boxes[0].bbox, printed), (boxes[0].bbox, printed)


def test_large_photo_is_read_shrunk_and_boxes_come_back_in_its_pixels(
    reader: ImageTextReader,
) -> None:
    big = _photo("astronaut").resize((2048, 2048), Image.Resampling.BICUBIC)
    image, printed = _render(big, "NOVAFLEX", size=96, angle=2.0, at=(900, 1500))
    boxes = reader.read(image)
    hits = [b for b in boxes if _compact(b.text) == "NOVAFLEX"]
    assert hits, [b.text for b in boxes]
    assert _locates(hits[0].bbox, printed), (hits[0].bbox, printed)
    assert all(0 <= b.bbox[0] <= b.bbox[2] <= 2048 for b in boxes)


@pytest.mark.parametrize("photo", ["chelsea", "coffee", "astronaut"])
def test_photo_without_text_reads_nothing(reader: ImageTextReader, photo: str) -> None:
    assert reader.read(_photo(photo)) == []


def test_same_image_reads_the_same(reader: ImageTextReader) -> None:
    image, _ = _render(_photo("coffee"), "LUMETTA", size=22)
    assert reader.read(image) == reader.read(image)


Matches = dict[str, list[MarkMatch]]


def _match(
    image: Image.Image, reader: ImageTextReader, *assets: Asset
) -> tuple[Matches, Matches, ListingImage]:
    """Marks found without and with the OCR of the listing's one photo."""
    item = _listing_image(image, "https://img.test/1.jpg")
    listing = _listing(item)
    texts = reader.read_listing(listing.images)
    index = MarkIndex(assets, SETTINGS)
    return index.match(listing), index.match(listing, image_texts=texts), item


def test_mark_printed_only_on_the_photo_is_found(reader: ImageTextReader) -> None:
    image, printed = _render(_photo("coffee"), "NOVAFLEX", size=22, angle=-3.0)
    without, found, item = _match(image, reader, NOVAFLEX)
    assert without == {}  # the title does not name it
    (match,) = found["A-NOVA"]
    assert (match.field, match.text, match.disguised) == ("image_text", "NOVAFLEX", False)
    evidence = word_mark_signal(NOVAFLEX, found["A-NOVA"], SETTINGS).evidence
    assert evidence["field"] == "image_text"
    assert evidence["image_url"] == item.url and evidence["image_sha256"] == item.sha256
    assert _locates(tuple(evidence["bbox"]), printed)
    assert all(isinstance(v, int) for v in evidence["bbox"])
    signal = word_mark_signal(NOVAFLEX, found["A-NOVA"], SETTINGS)
    assert signal.detail.startswith("Text in a listing image contains the registered word mark")


@pytest.mark.parametrize(("printed_text", "disguised"), [("N0VAFLEX", None), ("N0VA FL3X", True)])
def test_disguised_mark_on_the_photo_is_found(
    reader: ImageTextReader, printed_text: str, disguised: bool | None
) -> None:
    image, printed = _render(_photo("rocket"), printed_text, size=24, angle=3.0, at=(30, 300))
    _, found, _ = _match(image, reader, NOVAFLEX)
    (match,) = found["A-NOVA"]
    assert match.field == "image_text"
    assert _locates(match.box.bbox, printed)  # type: ignore[union-attr]
    # OCR may read a printed zero as the letter O (then the mark reads exact), never the reverse
    if disguised is not None:
        assert match.disguised is disguised, match
        assert match.text in ("NOVA FL3X", "N0VA FL3X"), match


def test_chinese_mark_printed_on_a_texture_is_found(reader: ImageTextReader) -> None:
    image, printed = _render(
        _texture("gravel"), "正品诺瓦飞运动水杯", font="cjk", size=22, angle=-2.0, at=(60, 200)
    )
    _, found, _ = _match(image, reader, NUOWAFEI, NOVAFLEX)
    assert set(found) == {"A-NUO"}
    (match,) = found["A-NUO"]
    assert (match.field, match.text, match.disguised) == ("image_text", "诺瓦飞", False)
    assert _locates(match.box.bbox, printed)  # type: ignore[union-attr]


def test_negative_keyword_in_the_same_line_explains_the_mark_away(
    reader: ImageTextReader,
) -> None:
    asset = Asset(
        id="A-NOVA", owner="o", kind=AssetKind.WORD_MARK, name="NOVAFLEX",
        negative_keywords=("novaflex yoga",),
    )  # fmt: skip
    image, _ = _render(_photo("coffee"), "NOVAFLEX YOGA", size=22)
    _, found, _ = _match(image, reader, asset)
    assert found == {}


def test_read_listing_caps_images_and_skips_duplicates_and_undecoded() -> None:
    reader = ImageTextReader(params=OcrParams(max_images=2))
    first, _ = _render(_photo("coffee"), "KORVEX", size=24)
    second, _ = _render(_photo("chelsea"), "BRAVIO", size=24)
    third, _ = _render(_photo("rocket"), "QUANTIX", size=24)
    a, b, c = (
        _listing_image(im, f"https://img.test/{i}.jpg")
        for i, im in enumerate((first, second, third))
    )
    undecoded = ListingImage(url="https://img.test/broken.jpg", sha256="00" * 32, image=None)
    copy_of_a = ListingImage(url="https://img.test/again.jpg", sha256=a.sha256, image=first)
    texts = reader.read_listing([undecoded, a, copy_of_a, b, c])
    assert [t.url for t in texts] == [a.url, b.url]
    assert [[_compact(box.text) for box in t.boxes] for t in texts] == [["KORVEX"], ["BRAVIO"]]
    assert reader.read_listing(
        [ListingImage(url=a.url, sha256=a.sha256, image=_photo("chelsea"))]
    ) == [ocr.ImageText(url=a.url, sha256=a.sha256, boxes=())]


def test_engine_is_built_once_per_process(reader: ImageTextReader) -> None:
    reader.read(_photo("chelsea"))
    ImageTextReader().read(_photo("coffee"))
    assert ocr.ENGINE_LOADS == 1


def test_no_engine_is_loaded_when_no_image_is_read() -> None:
    script = textwrap.dedent(
        """
        import sys
        from PIL import Image
        from model import Asset, AssetKind, Listing, ListingImage
        from detector.settings import DetectionSettings
        from detector.text import MarkIndex
        from detector.vision import ocr

        reader = ocr.ImageTextReader()
        listing = Listing(
            id="L", marketplace="m", url="u", title="NOVAFLEX bottle",
            images=(ListingImage(url="https://img.test/x.jpg", sha256=None, image=None),),
        )
        texts = reader.read_listing(listing.images)
        thin = reader.read(Image.new("RGB", (600, 8), "white"))
        asset = Asset(id="A", owner="o", kind=AssetKind.WORD_MARK, name="NOVAFLEX")
        found = MarkIndex([asset], DetectionSettings()).match(listing, image_texts=texts)
        print(texts, thin, sorted(found), ocr.ENGINE_LOADS,
              "rapidocr_onnxruntime" in sys.modules, "onnxruntime" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["[]", "[]", "['A']", "0", "False", "False"]


@pytest.mark.parametrize(
    "params",
    [{"max_side": 8}, {"threads": 0}, {"min_confidence": 1.5}, {"max_images": -1}],
)
def test_bad_params_are_refused_with_a_fix(params: dict[str, float]) -> None:
    with pytest.raises(SettingsError, match="ocr"):
        OcrParams(**params)  # type: ignore[arg-type]
