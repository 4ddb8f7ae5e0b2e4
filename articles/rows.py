"""Plain multi-row INSERTs for the page import's many small rows.

An imported page writes a few hundred rows of two or three integer columns
(link rows, their revision snapshots, tags, reprint bands).  `bulk_create`
prepares every field of every model instance in Python, which cost more than
the database's own work for such rows; these are written as one statement
of literal rows instead — standard SQL that both engines run, so no engine
code leaves the search backends.  Only for columns whose values need no
conversion (integers, text).
"""

from django.db import connection

# Rows per statement: SQLite accepts 32,766 parameters in one.
_BATCH = 2000


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
    which must tell the rows apart: new id}."""
    if not rows:
        return {}
    key = key or len(fields)
    if not connection.features.can_return_rows_from_bulk_insert:
        # SQLite before 3.35 has no RETURNING: read the new rows back.
        insert_rows(model, fields, rows)
        wanted = {row[:key] for row in rows}
        found = model.objects.filter(**{f"{fields[0]}__in": {r[0] for r in rows}})
        return {
            tuple(values): pk
            for pk, *values in found.values_list("pk", *fields[:key])
            if tuple(values) in wanted
        }
    table, columns = _columns(model, fields)
    pk = connection.ops.quote_name(model._meta.pk.column)
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    ids = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            part = rows[start : start + _BATCH]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES {', '.join([marks] * len(part))} "
                f"RETURNING {pk}, {', '.join(columns[:key])}",
                [value for row in part for value in row],
            )
            for new_id, *values in cursor.fetchall():
                ids[tuple(values)] = new_id
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
    pairs = sorted(by.items())  # rows taken in one order
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gained (id, n) AS (VALUES {', '.join(['(%s, %s)'] * len(pairs))}) "
            f"UPDATE {table} SET {column} = {column} + "
            f"(SELECT n FROM gained WHERE gained.id = {key_column}) "
            f"WHERE {key_column} IN (SELECT id FROM gained){conditions}",
            [value for pair in pairs for value in pair] + list(where.values()),
        )
