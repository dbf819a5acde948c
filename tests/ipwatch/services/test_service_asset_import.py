"""Assets from the desk's documents: CSV read into the import format, problems located by owner,
asset and field (or row and column), scope checked before anything is written."""

from __future__ import annotations

import pytest

from ipwatch.services.asset_csv import MAX_ROWS, CsvRejected, read_csv
from ipwatch.services.asset_import import RegistryRejected, import_document
from ipwatch.services.asset_upload import UploadedFile
from ipwatch.services.errors import ForbiddenError
from ipwatch.services.identity import Principal


def test_csv_rows_become_owners_assets_with_lists_split_and_quoted_cells_kept() -> None:
    table = read_csv(
        "\ufeffowner,kind,name,keywords,claims,price_floor_amount,price_floor_currency\n"
        'Acme,utility_patent,"Sole, damped",,"A sole, with\nlattice|Claim two",,\n'
        "\n"
        "Globex,word_mark,GLX,glx| g l x ,,9.5,EUR\n"
        "Acme,word_mark,ACMEX,,,,\n".encode()
    )
    acme, globex = table.data["owners"]
    assert [a["name"] for a in acme["assets"]] == ["Sole, damped", "ACMEX"]
    assert acme["assets"][0]["claims"] == ["A sole, with\nlattice", "Claim two"]
    assert globex["assets"][0]["keywords"] == ["glx", "g l x"]
    assert globex["assets"][0]["price_floor"] == {"amount": "9.5", "currency": "EUR"}
    assert table.rows == {(0, 0): 2, (1, 0): 4, (0, 1): 5}  # spreadsheet rows: header is row 1


@pytest.mark.parametrize(
    ("attack", "data", "expected"),
    [
        ("not_utf8", b"owner,kind,name\n\xff\xfe,word_mark,X\n", (None, None)),
        ("missing_required_column", b"owner,name\nAcme,X\n", (1, "kind")),
        ("duplicate_column", b"owner,kind,name,name\nAcme,word_mark,X,Y\n", (1, None)),
        ("empty_owner", b"owner,kind,name\n,word_mark,X\n", (2, "owner")),
        ("header_only", b"owner,kind,name\n", (None, None)),
        (
            "too_many_rows",
            b"owner,kind,name\n" + b"Acme,word_mark,X\n" * (MAX_ROWS + 1),
            (10_002, None),
        ),
    ],
)
def test_unreadable_csv_is_refused_by_row_and_column(attack, data, expected) -> None:
    with pytest.raises(CsvRejected) as refused:
        read_csv(data)
    assert (refused.value.rows[0].row, refused.value.rows[0].column) == expected, attack


def test_registry_problems_map_back_to_the_csv_row_and_column(workspace) -> None:
    table = read_csv(
        b"owner,kind,name,images,valid_from,valid_until\n"
        b"Acme,word_mark,FINE,,,\n"
        b"Acme,figurative_mark,Logo,logo.png,,\n"
        b"Acme,word_mark,LATE,,2030-01-01,2020-01-01\n"
    )
    with pytest.raises(RegistryRejected) as refused:
        import_document(workspace, Principal.operator("t"), table.data, [])
    located = {(p.row, p.column) for p in table.locate(refused.value).rows}
    assert located == {(4, "valid_until")}  # the schema speaks first; images are checked next
    fixed = table.data
    fixed["owners"][0]["assets"].pop()
    with pytest.raises(RegistryRejected) as missing:
        import_document(workspace, Principal.operator("t"), fixed, [])
    assert {(p.row, p.column) for p in table.locate(missing.value).rows} == {(3, "images")}
    assert workspace.registry.list_assets() == []


def test_scope_is_checked_before_anything_is_written(workspace) -> None:
    document = {"owners": [{"name": "Globex", "assets": [{"kind": "word_mark", "name": "G"}]}]}
    import_document(workspace, Principal.operator("t"), document, [])
    acme_admin = Principal("ada", "admin", ("Acme",))
    with pytest.raises(RegistryRejected) as foreign:
        import_document(workspace, acme_admin, document, [])
    assert [(p.owner, p.field) for p in foreign.value.problems] == [(0, "name")]
    taken = {
        "owners": [
            {
                "name": "Acme",
                "assets": [{"id": "globex/word_mark/g", "kind": "word_mark", "name": "A"}],
            }
        ]
    }
    with pytest.raises(RegistryRejected) as stolen:
        import_document(workspace, acme_admin, taken, [])
    assert "Globex" not in str(stolen.value) and stolen.value.problems[0].field == "id"
    with pytest.raises(ForbiddenError):
        import_document(workspace, Principal("vic", "viewer", ("Acme",)), taken, [])
    logo = UploadedFile("logo.png", b"not a picture")
    bad_image = {
        "owners": [
            {
                "name": "Acme",
                "assets": [{"kind": "figurative_mark", "name": "L", "images": ["logo.png"]}],
            }
        ]
    }
    with pytest.raises(RegistryRejected) as rejected:
        import_document(workspace, acme_admin, bad_image, [logo])
    problem = rejected.value.problems[0]
    assert (problem.owner, problem.asset, problem.field) == (0, 0, "images[0]")
    assert "/tmp" not in problem.message  # the server's folders are never shown
    assert [a.owner for a in workspace.registry.list_assets()] == ["Globex"]
