"""Detection settings: defaults documented, config mappings validated with helpful errors."""

from __future__ import annotations

import dataclasses

import pytest

from detector.exceptions import SettingsError
from detector.settings import DetectionSettings


def test_every_setting_is_documented() -> None:
    docs = DetectionSettings.docs()
    assert set(docs) == {f.name for f in dataclasses.fields(DetectionSettings)}
    assert all(doc and "\n" not in doc for doc in docs.values())


def test_defaults() -> None:
    s = DetectionSettings()
    assert s.threshold == 0.6
    assert s.price_floor_ratio == 1.0
    assert s.class_mismatch_factor == 0.3


def test_from_mapping() -> None:
    s = DetectionSettings.from_mapping(
        {
            "threshold": 0.7,
            "image_max_distance": 8,
            "image_crop_fractions": [0.05],
            "weight_image_copy": 1,
        }
    )
    assert (s.threshold, s.image_max_distance, s.image_crop_fractions) == (0.7, 8, (0.05,))
    assert s.weight_image_copy == 1.0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"treshold": 0.5}, "unknown detection setting 'treshold'; did you mean 'threshold'"),
        ({"zzz": 1}, "known keys: threshold"),
        ({"threshold": "high"}, "threshold must be a number"),
        ({"threshold": True}, "threshold must be a number"),
        ({"image_max_distance": 4.5}, "image_max_distance must be a whole number"),
        ({"image_crop_fractions": 0.1}, "must be a list of numbers"),
        ({"threshold": 0}, r"threshold must be in \(0, 1\]"),
        ({"weight_image_copy": 1.5}, r"weight_image_copy must be in \[0, 1\]"),
        ({"fuzzy_min_similarity": 0.2}, "lower values match unrelated words"),
        ({"image_max_distance": 40}, "beyond 32 unrelated images match"),
        ({"image_crop_fractions": [0.5]}, "image_crop_fractions must each be in"),
        ({"price_floor_ratio": 0}, "price_floor_ratio must be > 0"),
        ({"max_text_chars": 0}, "max_text_chars must be >= 1"),
        ({"class_mismatch_factor": 1.5}, "1.0 ignores the listing's category"),
        ({"other_brands": "Zorvak"}, "other_brands must be a list of names"),
        ({"other_brands": ["Zorvak", ""]}, "other_brands must be a list of names"),
        ({"other_brands": ["x" * 101]}, "other_brands must be a list of names"),
        ({"other_brands": [3]}, "other_brands must be a list of names"),
    ],
)
def test_bad_values_are_explained(data: dict, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        DetectionSettings.from_mapping(data)


def test_other_brands_are_names_and_change_what_findings_depend_on() -> None:
    s = DetectionSettings.from_mapping({"other_brands": [" Zorvak ", "Blue Hill"]})
    assert s.other_brands == ("Zorvak", "Blue Hill")
    assert s.scoring_repr() != DetectionSettings().scoring_repr()  # cached findings go stale


def test_settings_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DetectionSettings().threshold = 0.1  # type: ignore[misc]
