"""Where a page was printed, from the run's fields, a manifest, the path."""

import json
from datetime import date
from pathlib import PurePath

import pytest

from articles.printmeta import (
    ManifestError,
    PrintMeta,
    Resolver,
    from_path,
    parse_page_number,
    read_manifest,
)


@pytest.mark.parametrize(
    "path, want",
    [
        ("交城报/2020-10-20/03.txt", ("交城报", date(2020, 10, 20), 3, "")),
        ("交城报_20201020_03.pdf", ("交城报", date(2020, 10, 20), 3, "")),
        ("交城报_2020-10-20_第3版_要闻.txt", ("交城报", date(2020, 10, 20), 3, "要闻")),
        ("临县报/2019/20190105/12_综合.pdf", ("临县报", date(2019, 1, 5), 12, "综合")),
        ("scans/000_8823c651b5ab0a95.txt", ("", None, None, "")),
    ],
)
def test_path_convention(path, want):
    meta = from_path(PurePath(path))
    assert (meta.publication, meta.issue_date, meta.page_number, meta.page_name) == want


def test_a_number_without_a_date_is_not_a_page_number():
    # "000_8823…" is a running number, not 版次.
    assert from_path(PurePath("000_8823c651b5ab0a95.txt")).page_number is None


def test_page_numbers_as_printed():
    assert parse_page_number("第03版") == 3
    assert parse_page_number("12") == 12
    with pytest.raises(ValueError):
        parse_page_number("要闻")


def test_csv_and_json_manifests(tmp_path):
    (tmp_path / "manifest.csv").write_text(
        "文件,报纸,出版日期,期号,版次,版名\na.txt,交城报,2020-10-20,第1234期,3,要闻\n"
        "b.txt,交城报,,,,\n",
        "utf-8",
    )
    rows = read_manifest(tmp_path / "manifest.csv")
    assert rows["a.txt"] == PrintMeta(
        "交城报", date(2020, 10, 20), "第1234期", 3, "要闻"
    )
    assert rows["b.txt"].issue_date is None
    (tmp_path / "m.json").write_text(
        json.dumps({"c.pdf": {"publication": "临县报", "date": "2021-01-05"}}), "utf-8"
    )
    assert read_manifest(tmp_path / "m.json")["c.pdf"].issue_date == date(2021, 1, 5)


def test_a_bad_manifest_row_names_its_line(tmp_path):
    (tmp_path / "manifest.csv").write_text("file,date\na.txt,2020-13-45\n", "utf-8")
    with pytest.raises(ManifestError, match="第 2 行"):
        read_manifest(tmp_path / "manifest.csv")


def test_given_fields_over_manifest_over_path(tmp_path):
    folder = tmp_path / "交城报" / "2020-10-20"
    folder.mkdir(parents=True)
    (folder / "03.txt").write_text("x", "utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,page_name,page\n交城报/2020-10-20/03.txt,专版,4\n", "utf-8"
    )
    meta = Resolver().meta_for(folder / "03.txt", tmp_path)
    assert (meta.publication, meta.issue_date, meta.page_number, meta.page_name) == (
        "交城报",
        date(2020, 10, 20),
        4,
        "专版",
    )
    given = Resolver(PrintMeta(issue_date=date(2020, 10, 21)))
    assert given.meta_for(folder / "03.txt", tmp_path).issue_date == date(2020, 10, 21)
    # A manifest above the folder the run was given is not read.
    assert Resolver().meta_for(folder / "03.txt", folder).page_number == 3
