"""`manage.py check --deploy`: is the database server set up for the search
index it holds?  PostgreSQL's defaults (128 MB of shared buffers, a 4 GB
cache estimate, 4 MB per sort, JIT on) serve a small archive, but at a few
hundred thousand articles the index no longer stays in memory and the first
search of each term reads from disk (the README's bench: cold p95 ten times
the warm one).  `deploy/postgresql.conf` is the snippet these warnings point
to.  The figures come from the search backend (the only place with engine
SQL); an engine without such settings (SQLite) gets no warning."""

from django.core import checks
from django.db import DatabaseError

MiB = 2**20
GiB = 2**30

# shared_buffers holds the hot part of the index: half of it, though more
# than 4 GiB is not asked for (the OS cache holds the rest, see below).
SHARED_SHARE = 0.5
SHARED_ENOUGH = 4 * GiB
WORK_MEM_MIN = 16 * MiB  # facets and listing sort a few thousand rows
INDEX_SMALL = 64 * MiB  # below this any setting serves the index

W_CACHE = "articles.W001"
W_SHARED = "articles.W002"
W_WORK_MEM = "articles.W003"
W_JIT = "articles.W004"

HINT = "见 deploy/postgresql.conf 与 README 的“Production”一节。"


def _mib(n: int) -> str:
    return f"{n / MiB:,.0f} MiB"


@checks.register("search", deploy=True)
def search_server_settings(app_configs=None, **kwargs):
    """Warnings when the server's settings are too small for the index."""
    from .search import backend

    engine = backend()
    try:
        found = engine.server_settings()
        if found is None:
            return []
        index = engine.index_bytes() or 0
    except DatabaseError:
        # No database to ask (a build step running checks): nothing to say.
        return []
    return server_warnings(found, index)


def server_warnings(found: dict, index: int) -> list[checks.Warning]:
    """The warnings for server settings `found` (as
    `SearchBackend.server_settings` gives them) and an index of `index`
    bytes: none for an index small enough for any setting."""
    if index < INDEX_SMALL:
        return []
    warnings = []
    if found["jit"]:
        warnings.append(
            checks.Warning(
                "PostgreSQL 的 jit 为 on：检索按计划关闭某些扫描方式时成本估计极高，"
                "每次检索都会先编译执行计划（数十毫秒）。请设 jit = off。",
                hint=HINT,
                id=W_JIT,
            )
        )
    if found["effective_cache_size"] < index:
        warnings.append(
            checks.Warning(
                f"检索索引 {_mib(index)}，大于 effective_cache_size "
                f"{_mib(found['effective_cache_size'])}：索引放不进内存，"
                "冷门词的首次检索要读磁盘。",
                hint=HINT,
                id=W_CACHE,
            )
        )
    wanted = min(int(index * SHARED_SHARE), SHARED_ENOUGH)
    if found["shared_buffers"] < wanted:
        warnings.append(
            checks.Warning(
                f"shared_buffers {_mib(found['shared_buffers'])} 小于检索索引 "
                f"{_mib(index)} 所需的 {_mib(wanted)}。",
                hint=HINT,
                id=W_SHARED,
            )
        )
    if found["work_mem"] < WORK_MEM_MIN:
        warnings.append(
            checks.Warning(
                f"work_mem {_mib(found['work_mem'])} 小于 {_mib(WORK_MEM_MIN)}："
                "分面统计与结果排序会写临时文件。",
                hint=HINT,
                id=W_WORK_MEM,
            )
        )
    return warnings


E_RETURNING = "articles.E001"


@checks.register("database")
def database_returns_rows(app_configs=None, **kwargs):
    """The page import reads back the ids of the rows it inserts in the same
    statement (INSERT … RETURNING): PostgreSQL has it, SQLite since 3.35
    (2021).  Django 5.2 itself asks only for SQLite 3.31."""
    from django.db import connection

    if connection.features.can_return_rows_from_bulk_insert:
        return []
    return [
        checks.Error(
            "数据库不支持 INSERT … RETURNING：SQLite 需要 3.35 或更高版本。",
            hint="升级系统的 SQLite（或 Python），或改用 PostgreSQL（DATABASE_URL）。",
            id=E_RETURNING,
        )
    ]
