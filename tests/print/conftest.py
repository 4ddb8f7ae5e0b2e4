import io
from pathlib import Path

import pytest
from django.core.management import call_command

# Pages written for these tests: a headline over a short report, in the
# layout of the page files (a blank line between printed lines).
PAGE_TEXT = """{headline}

 本报讯 {day}上午，记者了解到：{headline}。

当天县里还在{place}举行了一场群众喜

闻乐见的文艺演出，吸引附近村民观看。

（记者 王小明）
"""


def page_text(headline: str, day: str = "十月二十日", place: str = "文化广场") -> bytes:
    return PAGE_TEXT.format(headline=headline, day=day, place=place).encode()


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


@pytest.fixture
def year_tree(tmp_path) -> Path:
    """A publication's year as folders: 交城报/2020-10-20/01.txt …"""
    root = tmp_path / "交城报"
    files = {
        "2020-10-20/01.txt": "全县秋收工作进展顺利",
        "2020-10-20/03.txt": "县城新建三处口袋公园",
        "2020-10-23/01.txt": "山区学校用上新课桌",
        "2019-10-20/02.txt": "去年今日的一条消息",
    }
    for name, headline in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(page_text(headline))
    return root


@pytest.fixture
def printed_pages(db, year_tree):
    run("import_pages", str(year_tree), publish=True)
    return year_tree
