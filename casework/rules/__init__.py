"""Legal rules as data: each file is TOML with its citation. Code reads them through `load()`."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent


@cache
def load(name: str) -> dict[str, Any]:
    with open(RULES_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


def province_timezones() -> dict[str, str]:
    return {str(code): zone for code, zone in load("timezones")["provinces"].items()}


def violation_catalogue() -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in load("violations")["items"]}
