"""The domain stays pure: casework imports neither Flask nor Airflow, and never reads ../shared at run time."""
import pkgutil
import subprocess
import sys
from pathlib import Path

import casework


def test_casework_imports_neither_flask_nor_airflow():
    modules = [m.name for m in pkgutil.walk_packages(casework.__path__, "casework.")]
    code = ("import sys, importlib\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(sorted({n.split('.')[0] for n in sys.modules} & {'flask', 'flask_admin', 'airflow'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_no_code_reads_the_shared_folder():
    root = Path(casework.__file__).parent.parent
    offenders = [str(p) for folder in ("casework", "admin", "sql", "scripts") for p in (root / folder).rglob("*")
                 if p.is_file() and p.suffix in {".py", ".sh", ".toml", ".ini"} and "../shared" in p.read_text()]
    assert offenders == []
