from django.urls import reverse

from tests.factories import receive


def test_pages_render(world, as_):
    w = world
    c = receive(w, copies=2)[0]
    client = as_(w.clerk)
    for url in [
        reverse("carriers:list"),
        reverse("carriers:detail", args=[c.pk]),
        reverse("carriers:register"),
        reverse("carriers:holdings"),
        reverse("approvals:list"),
        reverse("approvals:inbox"),
        reverse("approvals:new") + f"?carrier={c.pk}",
        reverse("web:profile"),
    ]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
