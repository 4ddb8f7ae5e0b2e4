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
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        if target.exists():
            target.unlink()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
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
