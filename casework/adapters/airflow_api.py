"""Airflow's REST API (v2), the little of it `netra airflow resync` needs: the case runs Airflow holds, and clearing
a failed one so it runs again. The address and the account come from the settings (NETRA_AIRFLOW_API_URL,
NETRA_AIRFLOW_USER, NETRA_AIRFLOW_PASSWORD); a token is fetched from Airflow's /auth/token."""
from __future__ import annotations

from dataclasses import dataclass

import httpx

from casework.errors import CaseworkError

PAGE = 100
TIMEOUT = 30.0


@dataclass
class AirflowApi:
    url: str
    username: str
    password: str
    client: httpx.Client | None = None

    def __post_init__(self) -> None:
        if not self.url:
            raise CaseworkError("airflow.no_api")
        self.client = self.client or httpx.Client(base_url=self.url.rstrip("/"), timeout=TIMEOUT)
        self._token: str | None = None

    def runs(self, dag_id: str) -> dict[str, str]:
        """run id -> state of every run of `dag_id` that Airflow holds."""
        out: dict[str, str] = {}
        offset = 0
        while True:
            page = self._call("GET", f"/api/v2/dags/{dag_id}/dagRuns", params={"limit": PAGE, "offset": offset})
            for run in page["dag_runs"]:
                out[run["dag_run_id"]] = run["state"]
            offset += PAGE
            if offset >= page["total_entries"] or not page["dag_runs"]:
                return out

    def clear(self, dag_id: str, run_id: str) -> None:
        """Run a failed run's failed tasks again (Airflow's "clear"); its finished tasks are not repeated."""
        self._call("POST", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/clear",
                   json={"dry_run": False, "only_failed": True})

    def _call(self, method: str, path: str, **kwargs) -> dict:
        return self._send(method, path, headers={"Authorization": f"Bearer {self._bearer()}"}, **kwargs)

    def _bearer(self) -> str:
        if self._token is None:
            self._token = self._send("POST", "/auth/token", json={"username": self.username,
                                                                  "password": self.password})["access_token"]
        return self._token

    def _send(self, method: str, path: str, **kwargs) -> dict:
        """One request; an unreachable or refusing Airflow is a CaseworkError saying which and why."""
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise CaseworkError("airflow.unreachable", url=self.url, detail=str(exc) or type(exc).__name__) from exc
        if response.status_code >= 400:
            raise CaseworkError("airflow.refused", url=self.url, status=response.status_code,
                                detail=response.text[:300])
        return response.json()
