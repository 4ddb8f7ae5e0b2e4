"""Backup and restore of the whole database: SQLite through its online
backup API (a consistent copy while the site runs), PostgreSQL through
pg_dump / pg_restore in the custom format."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(RuntimeError):
    pass


# How each database's backup file begins: SQLite's file header and
# pg_dump's custom-format magic.
SIGNATURES = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _kind_of(source: Path) -> str | None:
    with open(source, "rb") as file:
        head = file.read(16)
    return next((k for k, sig in SIGNATURES.items() if head.startswith(sig)), None)


def _check_restorable(source: Path) -> None:
    """Refuse, before touching the database, a file this database cannot
    load: another database's backup, or no backup at all."""
    try:
        kind = _kind_of(source)
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 {source}：{exc.strerror}") from exc
    current = NAMES.get(connection.vendor, connection.vendor)
    if kind is None:
        raise BackupError(
            f"{source} 不是 backup_database 写出的备份文件（既非 SQLite 也非 PostgreSQL）"
        )
    if kind != connection.vendor:
        raise BackupError(
            f"{source} 是 {NAMES[kind]} 数据库的备份，当前数据库是 {current}："
            f"请在 {NAMES[kind]} 上恢复，或用 export_articles / import_articles 迁移内容"
        )


def _check_writable(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "ab"):
            pass
    except OSError as exc:
        raise BackupError(f"无法写入 {target}：{exc.strerror}") from exc


def _pg_env() -> tuple[list[str], dict]:
    settings = connection.settings_dict
    args = [
        "-h",
        settings.get("HOST") or "localhost",
        "-p",
        str(settings.get("PORT") or 5432),
    ]
    if settings.get("USER"):
        args += ["-U", settings["USER"]]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def backup(target: Path) -> Path:
    target = Path(target)
    _check_writable(target)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target.unlink()
        try:
            destination = sqlite3.connect(target)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        except sqlite3.Error as exc:
            raise BackupError(f"无法写入 {target}：{exc}") from exc
    elif connection.vendor == "postgresql":
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        done = subprocess.run(
            ["pg_dump", *args, "-Fc", "--no-owner", "-f", str(target), name],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise BackupError(done.stderr.strip() or "pg_dump failed")
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    return target


def restore(source: Path) -> None:
    source = Path(source)
    if not source.exists():
        raise BackupError(f"找不到备份文件：{source}")
    _check_restorable(source)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    elif connection.vendor == "postgresql":
        connection.close()  # pg_restore --clean drops tables this session would hold
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        done = subprocess.run(
            [
                "pg_restore",
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "-d",
                name,
                str(source),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise BackupError(done.stderr.strip() or "pg_restore failed")
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
