"""The fixture gazetteer as the parser sees it, without a database."""

from functools import cache

from articles.importing.gazetteer_file import gazetteer_from_files
from tests.conftest import ROOT


@cache
def fixture_gazetteer():
    return gazetteer_from_files(
        ROOT / "fixtures" / "gazetteer.json",
        ROOT / "fixtures" / "programs.json",
        ROOT / "fixtures" / "villages.txt.gz",
    )
