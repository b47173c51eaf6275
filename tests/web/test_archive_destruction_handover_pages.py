"""Pages for archive (CR-11, ARC-1, ARC-2), destruction (CR-12) and handover (CR-13)."""

from __future__ import annotations

from baomi.carriers import actions as carriers
from baomi.carriers.choices import Status
from baomi.classification.choices import Level
from baomi.destruction.models import ListStatus
from baomi.handover import actions as handover
from tests.factories import receive
from tests.lifecycle import approved_list, archive_room, dossier


def test_archive_pages_archive_and_refuse_retrieval_without_approval(world, as_):
    w = world
    d = dossier(w)
    c = receive(w, level=Level.SECRET)
    client = as_(w.clerk)
    assert "档案卷宗" in client.get("/archive/").content.decode()
    r = client.post(f"/archive/{d.pk}/", {"op": "archive", "carrier": c.pk})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.ARCHIVED
    page = client.get(f"/archive/{d.pk}/").content.decode()
    assert c.label in page and "机密" in page
    r = client.post(f"/archive/{d.pk}/", {"op": "retrieve", "carrier": c.pk, "request": ""})
    assert r.status_code == 403 and "ARC-1" in r.content.decode()
    c.refresh_from_db()
    assert c.status == Status.ARCHIVED
    assert c.label in client.get("/archive/movements/").content.decode()
    r = client.post(
        "/archive/",
        {"number": "2026-WS-777", "title": "新卷", "year": "2026", "place": archive_room(w).pk},
    )
    assert r.status_code == 302
    assert client.get("/archive/retrievals/new/").status_code == 200


def test_destruction_pages_refuse_then_destroy(world, as_):
    w = world
    c = receive(w)
    client = as_(w.clerk)
    r = client.post("/destruction/", {"carriers": [c.pk], "reason": "到期"})
    assert r.status_code == 302
    dlist_url = r["Location"]
    assert c.label in client.get(dlist_url).content.decode()
    dlist = approved_list(w, [receive(w)])
    url = f"/destruction/{dlist.pk}/"
    r = client.post(
        url, {"op": "destroy", "method": "shred", "place": "销毁中心", "witnesses": [w.zhang.pk]}
    )
    assert r.status_code == 403 and "CR-12" in r.content.decode()
    r = client.post(
        url,
        {
            "op": "destroy",
            "method": "shred",
            "place": "销毁中心",
            "witnesses": [w.zhang.pk, w.classifier.pk],
        },
    )
    assert r.status_code == 302
    dlist.refresh_from_db()
    assert dlist.status == ListStatus.DESTROYED
    r = client.get(f"/destruction/{dlist.pk}/certificate.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    # Staff outside the list do not see it.
    assert as_(w.li).get(url).status_code == 404


def test_handover_pages(world, as_):
    w = world
    c = receive(w, level=Level.CONFIDENTIAL)
    carriers.circulate(w.clerk, c, w.li)
    client = as_(w.clerk)
    r = client.post("/handover/", {"person": w.li.pk, "receiver": w.wang.pk})
    assert r.status_code == 403 and "PER-1" in r.content.decode()
    r = client.post("/handover/", {"person": w.li.pk, "receiver": w.zhang.pk})
    assert r.status_code == 302
    url = r["Location"]
    r = client.post(url, {"op": "complete"})
    assert r.status_code == 403 and "CR-13" in r.content.decode()
    h = w.li.handovers_given.get()
    handover.confirm(w.li, h)
    r = as_(w.zhang).post(url, {"op": "confirm"})
    assert r.status_code == 302
    r = as_(w.clerk).post(url, {"op": "complete"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.holder == w.zhang
