"""Plain INSERTs and increments for the page import's many small rows.

An imported page writes a few hundred rows of two or three integer columns
(link rows, their revision snapshots, tags, reprint bands).  `bulk_create`
prepares every field of every model instance in Python, which cost more than
the database's own work for such rows; these are written as plain rows
instead (`executemany` of one prepared statement, or one statement of many
rows where the new ids are wanted back) — standard SQL that both engines
run, so no engine code leaves the search backends.  Values that need their
field's conversion (dates, JSON) go through `db_values`.
"""

from django.db import connection


def _max_params() -> int:
    """Parameters one statement may hold: SQLite's own limit (32,766 since
    3.32; Django assumes 999), or PostgreSQL's wire protocol's 65,535."""
    getlimit = getattr(connection.connection, "getlimit", None)
    if getlimit is not None:
        import sqlite3

        return getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65_535


def batches(rows: list, width: int):
    """`rows` of `width` parameters each, in parts one statement can take."""
    connection.ensure_connection()
    size = max(1, _max_params() // max(1, width))
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _columns(model, fields) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    meta = model._meta
    return quote(meta.db_table), [quote(meta.get_field(f).column) for f in fields]


def insert_rows(
    model, fields: list[str], rows: list[tuple], *, ignore_conflicts: bool = False
) -> None:
    """Insert `rows` (tuples of values for `fields`) into `model`'s table;
    with `ignore_conflicts`, rows a unique constraint refuses are skipped."""
    if not rows:
        return
    table, columns = _columns(model, fields)
    marks = ", ".join(["%s"] * len(fields))
    skip = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}){skip}", rows
        )


def insert_rows_returning_ids(
    model, fields: list[str], rows: list[tuple], *, key: int | None = None
) -> dict:
    """`insert_rows`, returning {row's first `key` values (all by default),
    which must tell the rows apart: new id} (RETURNING: SQLite 3.35 or
    later, checked at start-up by articles/checks.py)."""
    if not rows:
        return {}
    key = key or len(fields)
    table, columns = _columns(model, fields)
    pk = connection.ops.quote_name(model._meta.pk.column)
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids = {}
    with connection.cursor() as cursor:
        for part in batches(rows, len(fields)):
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES {', '.join([marks] * len(part))} "
                f"RETURNING {pk}, {', '.join(columns[:key])}",
                [value for row in part for value in row],
            )
            for new_id, *values in cursor.fetchall():
                ids[tuple(values)] = new_id
    assert len(ids) == len(rows), "rows not told apart by their key"
    return ids


def db_values(model, fields: list[str], obj) -> tuple:
    """`obj`'s values for `fields` as the database stores them (dates,
    JSON …), for `insert_rows`."""
    meta = model._meta
    return tuple(
        meta.get_field(name).get_db_prep_save(getattr(obj, name), connection)
        for name in fields
    )


def add_to(model, field: str, by: dict[int, int], *, key: str, **where) -> None:
    """`field += by[row's key]` for the rows whose `key` is in `by` (and that
    match `where`'s equalities): one statement however many increments,
    atomic in the database (two writers at once both add)."""
    if not by:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    column = quote(meta.get_field(field).column)
    key_column = f"{table}.{quote(meta.get_field(key).column)}"
    conditions = "".join(
        f" AND {table}.{quote(meta.get_field(name).column)} = %s" for name in where
    )
    with connection.cursor() as cursor:
        # Rows taken in one order (two writers never wait on each other).
        for part in batches(sorted(by.items()), 2 + len(where)):
            cursor.execute(
                f"WITH gained (id, n) AS "
                f"(VALUES {', '.join(['(%s, %s)'] * len(part))}) "
                f"UPDATE {table} SET {column} = {column} + "
                f"(SELECT n FROM gained WHERE gained.id = {key_column}) "
                f"WHERE {key_column} IN (SELECT id FROM gained){conditions}",
                [value for pair in part for value in pair] + list(where.values()),
            )
