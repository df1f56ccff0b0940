"""Certified signatures (issue 22): what signing adds to an issued letter.

The demo's forward to the oversight body (two signatures: the drafter's paraf, then the head's), rendered as it is
issued, then signed by the local signer with a throw-away CA's keys: p50/p95 of the signing alone — one signature,
the letter's two, and the two with a time-stamping authority on loopback (each signature timestamped, then the
validation data and a document timestamp: PAdES B-LTA). Goal: signing adds <= 100 ms p50 to an issued letter (the
letter as issued without a TSA; a real TSA adds its network round trips, three for this letter)."""
from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.bench_letters import demo_context, percentile
from casework.letters.render import render_pdf
from casework.letters.signatures import PlannedSignature, SignaturePlan, sign_letter
from casework.models import utcnow
from casework.settings import Settings
from casework.signing.pades import warm_up
from tests.signing_support import install_keys, start_tsa

OFFICE = "bawaslu-bench"
PARAF = PlannedSignature("paraf", 1, "Rina Anggraeni (demo)", "Koordinator Divisi")
HEAD = PlannedSignature("ttd", 2, "Hendra Saputro (demo)", "Ketua")


def _times(pdf: bytes, plan: SignaturePlan, settings: Settings, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        sign_letter(pdf, plan, settings, number="1/PP.03.00/BENCH/12/2026", now=utcnow())
        out.append(time.perf_counter() - started)
    return out


def run(quick: bool = False) -> list[dict]:
    repeat = 10 if quick else 50
    with tempfile.TemporaryDirectory(prefix="netra-bench-signing-") as tmp:
        workdir = Path(tmp)
        context = {**demo_context(workdir), "signature": {"paraf": True}}
        settings = Settings.from_env({"NETRA_VAR_DIR": str(workdir / "var")})
        ca = install_keys(settings, [(OFFICE, PARAF.official_id, PARAF.name), (OFFICE, HEAD.official_id, HEAD.name)])
        warm_up(settings)
        pdf = render_pdf(context)
        renders = []
        for _ in range(max(5, repeat // 5)):
            started = time.perf_counter()
            render_pdf(context)
            renders.append(time.perf_counter() - started)
        one = SignaturePlan(OFFICE, "Tenggarong", "WITA", (HEAD,))
        two = SignaturePlan(OFFICE, "Tenggarong", "WITA", (PARAF, HEAD))
        _times(pdf, two, settings, 2)  # the first signature of a process loads pyHanko's parts: not the steady state
        single, both = _times(pdf, one, settings, repeat), _times(pdf, two, settings, repeat)
        tsa = start_tsa(ca)
        try:
            stamped = _times(pdf, two, replace(settings, tsa_url=tsa.url), max(5, repeat // 2))
        finally:
            tsa.stop()
    ms = lambda values, p: f"{percentile(values, p) * 1000:.0f} ms"  # noqa: E731
    added = statistics.median(both)
    return [
        {"figure": "render the forward letter (no signature), p50", "value": ms(renders, 50), "goal": "",
         "met": None},
        {"figure": "sign: one signature, p50 / p95", "value": f"{ms(single, 50)} / {ms(single, 95)}", "goal": "",
         "met": None},
        {"figure": "sign: paraf + signature (the letter as issued), p50 / p95",
         "value": f"{ms(both, 50)} / {ms(both, 95)}", "goal": "<= 100 ms p50 added", "met": added <= 0.100},
        {"figure": "sign: paraf + signature with a loopback TSA (B-LTA), p50 / p95",
         "value": f"{ms(stamped, 50)} / {ms(stamped, 95)}", "goal": "", "met": None},
    ]
