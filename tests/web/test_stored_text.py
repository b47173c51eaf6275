"""Text PostgreSQL would refuse (a NUL, longer than the column) is bad input before any write."""

import pytest
from django.core.exceptions import ValidationError

from baomi.lib.errors import Invalid
from baomi.lib.stored_text import refuse_unstorable_text
from baomi.org.models import Unit


@pytest.mark.parametrize("name", ["办公室\x00", "长" * 500])
def test_unstorable_text_is_refused_before_the_save(name):
    with pytest.raises(ValidationError) as caught:
        refuse_unstorable_text(Unit, Unit(name=name))
    assert "name" in caught.value.message_dict


def test_storable_text_passes():
    refuse_unstorable_text(Unit, Unit(name="办公室"))


@pytest.mark.django_db
def test_a_nul_reaching_a_save_in_an_action_is_invalid_not_a_500():
    from baomi.lib.actions import action

    @action("test.save")
    def save_unit(actor, name):
        Unit(name=name).save()

    with pytest.raises(Invalid) as caught:
        save_unit(None, "办公室\x00")
    assert "name" in caught.value.detail
