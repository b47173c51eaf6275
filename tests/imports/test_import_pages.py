"""The import pages: upload → the detected mapping (corrected by the user) → a dry-run report
→ import; the 保密员's regularisation list; the 安全保密管理员's one-step confirmation."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from baomi.carriers.models import Carrier
from baomi.org.models import Person
from baomi.personnel.models import ClearanceDecision
from tests.imports.ledgers import carrier, table
from tests.imports.test_people_import import PEOPLE


def client_for(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def upload(client, kind, data, name="台帐.xlsx"):
    return client.post(
        reverse("imports:index"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


def test_upload_correct_mapping_dry_run_then_import(world):
    rows = [{**carrier(密级="机密"), "现保管人员": "张三"}, carrier(), carrier(密级="特密")]
    client = client_for(world.clerk)
    response = upload(client, "carriers", table(rows))
    assert response.status_code == 302 and response.url == reverse("imports:review")

    page = client.get(reverse("imports:review")).content.decode()
    assert 'data-ok="false"' in page and "第4行 〈密级〉" in page and "CL-1" in page
    assert 'name="import"' not in page

    # The user fixes the file and uploads it again; the holder column is not recognised …
    rows[2] = carrier()
    upload(client, "carriers", table(rows))
    review = client.get(reverse("imports:review"))
    form = review.context["form"]
    assert form["holder"].initial == ""
    # … so they point 保管人 at it, run the dry run again, and import.
    mapping = {name: form[name].initial for name in form.fields}
    choices = dict(form.fields["holder"].choices)
    mapping["holder"] = next(value for value, label in choices.items() if "现保管人员" in label)
    page = client.post(reverse("imports:review"), {**mapping, "dry_run": "1"}).content.decode()
    assert 'data-ok="true"' in page and "正式导入 3 条" in page
    assert Carrier.objects.count() == 0
    done = client.post(reverse("imports:review"), {**mapping, "import": "1"})
    assert done.status_code == 200 and 'id="done"' in done.content.decode()
    assert Carrier.objects.count() == 3
    assert Carrier.objects.get(holder=world.zhang).level == "secret"

    # The held carrier is listed for the clerk to regularise.
    page = client.get(reverse("imports:regularise")).content.decode()
    assert Carrier.objects.get(holder=world.zhang).label in page
    batch = done.context["batch"]
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 200


def test_unreadable_file_refused_at_upload(world):
    response = upload(
        client_for(world.clerk), "carriers", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    )
    assert response.status_code == 200 and "加密" in response.content.decode()


def test_r_sec_3_page_refuses_sysadmin_importing_carriers(world):
    client = client_for(world.sysadmin)
    upload(client, "carriers", table([carrier()]))
    response = client.post(reverse("imports:review"), {"import": "1"})
    assert response.status_code == 403 and "SEC-3" in response.content.decode()
    assert Carrier.objects.count() == 0


def test_people_page_shows_passwords_once_then_secadmin_confirms(world):
    client = client_for(world.sysadmin)
    upload(client, "people", table(PEOPLE))
    form = client.get(reverse("imports:review")).context["form"]
    mapping = {name: form[name].initial for name in form.fields}
    done = client.post(reverse("imports:review"), {**mapping, "import": "1"}).content.decode()
    zhou = Person.objects.get(user__username="zhouliu")
    assert "zhouliu" in done and 'id="accounts"' in done
    assert client.get(reverse("imports:review")).status_code == 302, "the upload is forgotten"

    secadmin = client_for(world.secadmin)
    page = secadmin.get(reverse("imports:historical")).content.decode()
    assert "周六" in page and "全部确认（2 人）" in page
    assert secadmin.post(reverse("imports:historical")).status_code == 302
    zhou.refresh_from_db()
    assert zhou.clearance == "important"
    assert not ClearanceDecision.objects.filter(historical=True, status="proposed").exists()
    assert client_for(world.clerk).get(reverse("imports:historical")).status_code == 403
