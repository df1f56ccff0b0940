"""`netra`: the command line, one module per command group (base.py holds the root group and its error handling).

Help is Bahasa Indonesia first, English second."""
from __future__ import annotations

import sys

from casework.cli import (  # noqa: F401  (each registers its commands)
    airflow, api, backup, cases, elections, exchange, handover, inbox, letters, mail, privacy, records, rules, setup,
    signing, steps, users, webhooks,
)
from casework.cli import figures  # noqa: F401,E402  (netra ikp, netra asn-count)
from casework.cli import prevention  # noqa: F401,E402  (netra prevention)
from casework.cli import reports  # noqa: F401,E402  (netra reports ppk-league)
from casework.cli import warnings  # noqa: F401,E402  (netra early-warning)
from casework.cli.base import cli


def main() -> None:
    cli(prog_name="netra")


if __name__ == "__main__":
    sys.exit(main())
