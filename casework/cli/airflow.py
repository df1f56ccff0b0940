"""`netra airflow resync`: Airflow's runs brought back in line with Netra's record (casework.road.resync)."""
from __future__ import annotations

import click

from casework.cli.base import Context, cli, emit_json, json_option, operator_name
from casework.i18n.messages import message


@cli.group("airflow")
def airflow_group() -> None:
    """Airflow, penjaga waktu kasus. (Airflow, which keeps the cases' time.)"""


@airflow_group.command("resync")
@click.option("--apply", "apply_", is_flag=True,
              help="Laksanakan; tanpa ini hanya uji coba. (Carry it out; without it, a dry run.)")
@json_option
@click.pass_obj
def resync_cmd(obj: Context, apply_: bool, as_json: bool) -> None:
    """Setelah basis data Airflow hilang atau dipulihkan dari titik lama: kasus yang run-nya tidak ada di Airflow
    dimulai lagi oleh `reconcile`, run yang gagal diulang, run kasus yang telah selesai ditutup. Tidak ada surat atau
    surel yang terkirim dua kali. (After Airflow's database was lost or restored from an older point: missing runs
    are started again, failed ones cleared, those of ended cases closed; nothing is sent twice.)"""
    from casework.adapters.airflow_api import AirflowApi
    from casework.adapters.db import transaction
    from casework.road import resync
    from casework.road.lifecycle import DAG_ID

    obj.require_migrated()
    settings = obj.settings
    api = AirflowApi(settings.airflow_api_url, settings.airflow_username, settings.airflow_password)
    runs = api.runs(DAG_ID)
    with obj.sessions() as session:
        items = resync.plan(session, runs)
    if apply_:
        for item in items:
            if item.action == resync.CLEAR:
                api.clear(DAG_ID, item.run_id)
        with transaction(obj.sessions) as session:
            resync.apply(session, items, actor=operator_name())
    counts = {action: sum(i.action == action for i in items) for action in (resync.RESTART, resync.CLEAR,
                                                                             resync.END)}
    if as_json:
        emit_json({"applied": apply_, "airflow_runs": len(runs), **counts, "runs": [i.as_dict() for i in items]})
        return
    for i in items:
        click.echo(message("resync.line", obj.lang, case=i.case, stage=i.stage, airflow=i.airflow or "-",
                           action=i.action))
    code = "resync.none" if not items else "resync.done" if apply_ else "resync.dry_run"
    click.echo(message(code, obj.lang, airflow=len(runs), **counts))
