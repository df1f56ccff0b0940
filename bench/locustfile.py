"""The desk on the campaign's last day, for Locust (driven by bench/bench_load.py; issue 23 item 3).

Handlers of Bawaslu Kutai Kartanegara do the day's work: open "Tugas saya", page through and search the case
list, read case pages, and take up new reports — read the report, preview its receipt, issue it, begin the
initial review. Provincial and RI handlers read across their wider scope. Every user signs in with the desk's
own form (CSRF token and all), as a browser would. The new reports come from NETRA_LOAD_POOL (a JSON list of
case numbers made by the driver), each taken by one user only.
"""
from __future__ import annotations

import json
import os
import random
import re
from collections import deque

from gevent.event import Event
from locust import HttpUser, between, task

POOL = deque(json.loads(open(os.environ["NETRA_LOAD_POOL"]).read()) if "NETRA_LOAD_POOL" in os.environ else [])
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
CASE_LINK = re.compile(r'href="/kasus/([A-Z]{2}-[0-9A-Z-]+)"')
PASSWORD = "netra-demo"
SIGNED_IN = {"count": 0}
ALL_IN = Event()  # every user signed in: the day's work is measured from here (sign-in: bench_load's own figure)


class Handler(HttpUser):
    abstract = True
    wait_time = between(3, 10)  # a person reads a page before the next click (6.5 s on average)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/login", name="/login")
        self.client.post("/login", name="/login [POST]", data={
            "csrf_token": CSRF.search(page.text).group(1), "username": self.username, "password": PASSWORD})
        listing = self.client.get("/kasus-daftar/", name="/kasus-daftar/")
        self.cases = CASE_LINK.findall(listing.text) or ["-"]
        # 50 argon2id sign-ins at once hold the 2 cores for ~20 s: the statistics start when the last is in
        SIGNED_IN["count"] += 1
        if SIGNED_IN["count"] >= self.environment.runner.target_user_count:
            self.environment.stats.reset_all()
            ALL_IN.set()
        ALL_IN.wait(timeout=300)

    @task(4)
    def my_work(self) -> None:
        self.client.get("/", name="Tugas saya /")

    @task(3)
    def case_list(self) -> None:
        page = random.randint(0, 50)
        listing = self.client.get(f"/kasus-daftar/?page={page}", name="/kasus-daftar/?page=N")
        self.cases = CASE_LINK.findall(listing.text) or self.cases

    @task(1)
    def search(self) -> None:
        self.client.get(f"/kasus-daftar/?search=Sintetis+{random.randint(1, 99_999)}", name="/kasus-daftar/?search=")

    @task(6)
    def case_page(self) -> None:
        self.client.get(f"/kasus/{random.choice(self.cases)}", name="/kasus/<number>")


class KabKotaHandler(Handler):
    weight = 8
    username = "penangan.kukar"

    @task(2)
    def take_up_a_report(self) -> None:
        """Read a new report, preview its receipt, issue it, begin the initial review."""
        if not POOL:
            return
        number = POOL.popleft()
        page = self.client.get(f"/kasus/{number}", name="/kasus/<number>")
        token = CSRF.search(page.text).group(1)
        self.client.get(f"/kasus/{number}/surat/draf/receipt", name="preview /kasus/<number>/surat/draf/<kind>")
        self.client.post(f"/kasus/{number}/surat/receipt", name="issue /kasus/<number>/surat/<kind> [POST]",
                         data={"csrf_token": token, "recipient": "0"})
        page = self.client.get(f"/kasus/{number}", name="/kasus/<number>")
        self.client.post(f"/kasus/{number}/langkah/begin_review", name="step /kasus/<number>/langkah/<step> [POST]",
                         data={"csrf_token": CSRF.search(page.text).group(1),
                               "version": VERSION.search(page.text).group(1)})


class ProvinceHandler(Handler):
    weight = 1
    username = "penangan.kaltim"


class NationalHandler(Handler):
    weight = 1
    username = "penangan.ri"
