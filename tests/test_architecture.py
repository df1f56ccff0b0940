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


def test_the_domain_reads_no_environment_below_its_entry_points():
    """Settings are read once at start-up (the CLI's context, the desk's create_app, netra_airflow) and passed in:
    below them no module of casework reads os.environ or calls Settings.from_env()."""
    root = Path(casework.__file__).parent
    allowed = {root / "settings.py"} | set((root / "cli").rglob("*.py"))  # the settings object; the CLI's entry
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py") if p not in allowed
                 and any(word in p.read_text() for word in ("os.environ", "os.getenv", "from_env("))]
    assert offenders == []
