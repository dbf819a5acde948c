"""Notice formats are data: a team's folder adds or replaces a format; a broken one is refused
with the file, the field and the fix named."""

from __future__ import annotations

import shutil

import pytest

from enforcement.exceptions import NoticeFormatError
from enforcement.formats import BUILT_IN, format_for, load_formats
from enforcement.render import render
from tests.enforcement.notice_samples import content


def write_format(root, name, descriptor, template="{{ notice.notice_id }}\n", file="t.txt.j2"):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "format.yaml").write_text(descriptor, encoding="utf-8")
    (folder / file).write_text(template, encoding="utf-8")
    return folder


DESCRIPTOR = (
    "title: Rakuten\nmarketplaces: [rakuten]\noutput: text\ntemplate: t.txt.j2\n"
    "file_name: '{notice}-rakuten{part}.txt'\n"
)


def test_a_team_adds_a_marketplace_without_code(tmp_path):
    write_format(tmp_path, "rakuten", DESCRIPTOR, "{{ items | length }} listing(s)\n")
    formats = load_formats(tmp_path)
    assert format_for(formats, "Rakuten").name == "rakuten"
    files = render(formats["rakuten"], content())
    assert [(f.name, f.data) for f in files] == [
        ("N-0123456789abcdef-rakuten.txt", b"3 listing(s)\n")
    ]


def test_a_home_format_replaces_the_built_in_one_of_its_name(tmp_path):
    shutil.copytree(BUILT_IN / "ebay-vero", tmp_path / "ebay-vero")
    (tmp_path / "ebay-vero" / "vero.csv.j2").write_text("ours\n", encoding="utf-8")
    assert render(load_formats(tmp_path)["ebay-vero"], content())[0].data == b"ours\n"
    assert render(load_formats()["ebay-vero"], content())[0].data != b"ours\n"


@pytest.mark.parametrize(
    ("descriptor", "message"),
    [
        ("title: x\noutput: pdf\ntemplate: t.txt.j2\nfile_name: '{notice}{part}'\n", "output"),
        (DESCRIPTOR.replace("t.txt.j2", "../../etc/passwd"), "not a path"),
        (DESCRIPTOR.replace("{notice}-rakuten{part}.txt", "../{notice}{part}"), "plain file"),
        (DESCRIPTOR.replace("{part}", ""), "{part}"),
        (DESCRIPTOR.replace("{part}", "{part}{0}"), "only {notice} and {part}"),
        (DESCRIPTOR + "surprise: 1\n", "surprise"),
        ("- a list\n", "mapping"),
        ("title: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_broken_format_is_refused_with_file_and_field(tmp_path, descriptor, message):
    write_format(tmp_path, "rakuten", descriptor)
    with pytest.raises(NoticeFormatError, match=r"rakuten/format\.yaml") as err:
        load_formats(tmp_path)
    assert message in str(err.value)


def test_a_template_naming_an_unknown_value_fails_instead_of_printing_nothing(tmp_path):
    write_format(tmp_path, "rakuten", DESCRIPTOR, "{{ notice.no_such_field }}\n")
    with pytest.raises(NoticeFormatError, match="no_such_field"):
        render(load_formats(tmp_path)["rakuten"], content())


def test_a_template_cannot_reach_python_internals_sandbox_escape(tmp_path):
    escape = "{{ notice.__class__.__init__.__globals__ }}\n"
    write_format(tmp_path, "rakuten", DESCRIPTOR, escape)
    with pytest.raises(NoticeFormatError):
        render(load_formats(tmp_path)["rakuten"], content())
