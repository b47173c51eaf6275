"""A printed label's QR code carries the unit's code (C01/2026-0000001-01): a count matches this
unit's labels with or without it, and tells another unit's carrier apart from an unregistered one
even when both units use the same 统一编号 (CR-14: 帐、卡、物相符)."""

from __future__ import annotations

from baomi.stocktake import actions
from baomi.stocktake.selectors import read_label, reconcile, scan_code
from tests.factories import receive


def test_read_label_accepts_a_unit_code_and_folds_full_width_input():
    label = read_label(" C01/２０２６－０００１２３４－０３\n")
    assert (label.unit_code, label.number, label.copy_no) == ("C01", "2026-0001234", 3)
    assert label.code == "C01/2026-0001234-03" and label.belongs_to("C01")
    assert not label.belongs_to("P01")
    assert read_label("2026-0001234-03").belongs_to("P01")  # typed by hand: this unit's
    assert read_label("C01/2026-0001234") is None
    assert read_label("C 01/2026-0001234-03") is None


def test_this_units_qualified_label_counts_as_found(world):
    w = world
    carrier = receive(w)
    stocktake = actions.start(w.clerk, place=w.cabinet)
    result = actions.record_scans(w.clerk, stocktake, [scan_code(w.unit.code, carrier.label)])
    assert result.added == 1
    assert [row.code for row in reconcile(stocktake).found] == [carrier.label]
    # The same carrier typed by hand is the same carrier, counted once.
    again = actions.record_scans(w.clerk, stocktake, [carrier.label])
    assert (again.added, again.duplicates) == (0, 1)


def test_another_units_label_with_our_number_is_not_our_carrier(world):
    w = world
    ours = receive(w)
    stocktake = actions.start(w.clerk, place=w.cabinet)
    foreign = scan_code(w.province.code, ours.label)  # same 统一编号, issued by another unit
    actions.record_scans(w.clerk, stocktake, [foreign])
    result = reconcile(stocktake)
    assert [row.code for row in result.missing] == [ours.label]
    assert [row.code for row in result.unexpected] == [foreign]
    assert "其他单位（代码 P01）" in result.unexpected[0].reason
    assert stocktake.scans.get().carrier_id is None


def test_a_bare_unknown_number_is_reported_as_unregistered(world):
    w = world
    stocktake = actions.start(w.clerk, place=w.cabinet)
    actions.record_scans(w.clerk, stocktake, ["2026-9999999-01"])
    (row,) = reconcile(stocktake).unexpected
    assert "未登记" in row.reason and "其他单位（代码" not in row.reason
