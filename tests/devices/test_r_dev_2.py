"""DEV-2 一人一机: one 责任人 cleared for the level; others only with an approval, logged; never
on the internet or an ordinary network."""

from __future__ import annotations

import pytest

from baomi.classification.choices import Level
from baomi.devices import actions
from baomi.devices.choices import USE_KIND, Network
from baomi.devices.models import DeviceUse
from tests.devices.helpers import approval, classified_computer, grant_device_authority
from tests.factories import refused

pytestmark = pytest.mark.django_db


def test_r_dev_2_classified_computer_on_internet_refused_at_registration(world):
    with refused("DEV-2"):
        classified_computer(world, network=Network.INTERNET)


def test_r_dev_2_moving_onto_ordinary_network_refused(world):
    w = world
    device = classified_computer(w)
    with refused("DEV-2"):
        actions.change_network(w.clerk, device, Network.INTRANET)
    actions.change_network(w.clerk, device, Network.CLASSIFIED)
    device.refresh_from_db()
    assert device.network == Network.CLASSIFIED


def test_r_dev_2_responsible_below_level_refused(world):
    w = world
    with refused("DEV-2"):
        classified_computer(w, level=Level.SECRET, responsible=w.li)  # li is 一般
    device = classified_computer(w)
    with refused("DEV-2"):
        actions.assign(w.clerk, device, w.li)


def test_r_dev_2_use_by_another_without_approval_refused(world):
    w = world
    device = classified_computer(w)
    with refused("DEV-2"):
        actions.log_use(w.clerk, device, w.classifier, None, reason="临时处理文件")


def test_r_dev_2_use_by_another_with_approval_logged(world):
    w = world
    grant_device_authority(w)
    device = classified_computer(w)
    ok = approval(w, USE_KIND, {"device": device.pk, "user": w.classifier.pk})
    use = actions.log_use(w.clerk, device, w.classifier, ok, reason="临时处理文件")
    assert DeviceUse.objects.get() == use and use.user == w.classifier and use.approval == ok
    other = approval(w, USE_KIND, {"device": device.pk, "user": w.clerk.pk})
    with refused("APR-3"):
        actions.log_use(w.clerk, device, w.classifier, other, reason="再次使用")
