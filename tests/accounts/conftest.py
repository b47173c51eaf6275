"""Helpers of the account tests: real logins through the login page, TOTP codes, API calls."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.api.helpers import BASE, api_as

NEW_PASSWORD = "Qx7#plover-Tarn9"


def login(username: str, password: str, *, address: str = "10.1.1.1", client=None):
    client = client or Client(REMOTE_ADDR=address)
    response = client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return client, response


def totp_code(device, at=None) -> str:
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    return str(totp.token()).zfill(device.digits)


def call(client: Client, method: str, path: str, body=None, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(
        BASE + path, data=data, content_type="application/json", **headers
    )


@pytest.fixture
def api(world):
    clients = {}

    def for_person(person):
        if person.pk not in clients:
            clients[person.pk] = api_as(world, person)
        return clients[person.pk]

    return for_person
