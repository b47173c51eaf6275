"""The lifecycle flows in a real browser: a stocktake with a USB scanner (CR-14), a destruction
list from registration to certificate (CR-12), and a review before publication (REV-1/REV-3).

A barcode scanner is a keyboard: it types the label and presses Enter into the focused input, so
the stocktake test drives the page with the keyboard only.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from baomi.carriers.choices import Status
from baomi.carriers.models import Carrier
from baomi.destruction.models import DestructionList, ListStatus
from baomi.review import actions as review_actions
from baomi.review.choices import ReviewStatus
from baomi.review.models import Review
from baomi.stocktake.models import Stocktake
from tests.factories import PASSWORD, build_world, receive

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def sign_out(page):
    page.click("header form button[type=submit]")
    page.wait_for_url(re.compile(r"/login/"))


def count(page, name: str) -> str:
    return page.locator(f"#tally [data-count={name}]").inner_text()


def scan(page, label: str) -> None:
    """What the scanner does: type the label into the focused input, then Enter. The next scan
    waits for this one's answer to settle (htmx wires the swapped-in form up when it settles; a
    person takes longer than that to reach the next carrier)."""
    page.keyboard.type(label)
    page.keyboard.press("Enter")
    page.locator("#scanner:not(.htmx-added) [data-outcome]", has_text=label).wait_for()


def test_stocktake_with_a_usb_scanner_reconciles_and_reports_a_missing_carrier_lost(page):
    w = build_world()
    first, second, third = receive(w, copies=3)
    unknown = f"{first.number.split('-')[0]}-9999999-01"

    sign_in(page, "baomiyuan")
    page.goto(page.base_url + "/stocktakes/")
    page.select_option("#start-form select[name=place]", str(w.cabinet.pk))
    page.click("#start-form button[type=submit]")
    page.wait_for_url(re.compile(r"/stocktakes/\d+/$"))
    stocktake = Stocktake.objects.get()
    assert count(page, "expected") == "3"
    assert count(page, "scanned") == "0"

    # The scanner input has the focus from the start; each scan swaps in by HTMX (no reload).
    page.evaluate("document.body.dataset.marker = 'same-page'")
    assert page.evaluate("document.activeElement.id") == "scan-input"
    scan(page, first.label)
    assert page.locator("#scan-feedback [data-outcome]").get_attribute("data-outcome") == "found"
    assert count(page, "found") == "1"
    assert page.evaluate("document.activeElement.id") == "scan-input"  # ready for the next one
    scan(page, second.label)
    scan(page, unknown)
    feedback = page.locator("#scan-feedback [data-outcome]")
    assert feedback.get_attribute("data-outcome") == "unexpected"
    assert "台账中没有此编号" in feedback.inner_text()
    scan(page, first.label)  # the same carrier scanned again counts once
    assert "已录入过" in page.locator("#scan-feedback").inner_text()
    assert (count(page, "scanned"), count(page, "found")) == ("3", "2")
    assert (count(page, "missing"), count(page, "unexpected")) == ("1", "1")
    assert page.evaluate("document.body.dataset.marker") == "same-page"
    assert stocktake.scans.count() == 3
    # The missing list followed the scans without a reload; no 报失 while counting.
    live_missing = page.locator("#missing-rows table").inner_text()
    assert third.label in live_missing and first.label not in live_missing
    assert page.locator("#missing-rows button:has-text('报失')").count() == 0

    # The reconciliation: found, missing, unexpected.
    page.reload()
    missing = page.locator("#missing-rows table")
    assert third.label in missing.inner_text()
    assert first.label not in missing.inner_text()
    assert unknown in page.locator("h2.text-warning-emphasis + table").inner_text()
    page.click("details summary")
    found = page.locator("details table").inner_text()
    assert first.label in found and second.label in found

    # Once the count is closed, one click turns the missing carrier into a loss report.
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("text=清查已结束")
    page.click(f"form[action$='/lost/{third.pk}/'] button[type=submit]")
    page.wait_for_selector(f"text=载体 {third.label} 已报失")
    third.refresh_from_db()
    assert third.status == Status.LOST
    page.goto(f"{page.base_url}/carriers/{third.pk}/")
    assert page.locator("[data-status=lost]").first.inner_text() == "丢失"
    first.refresh_from_db()
    assert first.status == Status.IN_REGISTRY


def test_destruction_list_checked_approved_destroyed_under_two_witnesses(page):
    w = build_world()
    one, two = receive(w, copies=2)
    kept = receive(w, title="不销毁的通知")

    # 保密员 registers the list with two carriers: one scanned (number + Enter), one ticked.
    sign_in(page, "baomiyuan")
    page.goto(page.base_url + "/destruction/new/")
    page.fill("#scan", one.label)
    page.press("#scan", "Enter")
    page.wait_for_selector(f"#chosen input[value='{one.pk}']")
    page.check(f"#candidates input[value='{two.pk}']")
    page.fill("#reason", "超过保存期限")
    page.click("#new-list-form button[value=create]")
    page.wait_for_url(re.compile(r"/destruction/\d+/$"))
    dlist = DestructionList.objects.get()
    assert dlist.items.count() == 2
    for carrier in (one, two):
        carrier.refresh_from_db()
        assert carrier.status == Status.PENDING_DESTRUCTION

    # ...checks each item, then submits the list to 领导.
    for carrier in (one, two):
        page.click(f"#items form:has(input[name=carrier][value='{carrier.pk}']) >> text=清点")
        page.wait_for_selector(f"text=已清点 {carrier.label}")
    assert page.locator("#items >> text=未清点").count() == 0
    page.select_option("#id_approver", str(w.leader.pk))
    page.fill("#id_sreason", "年度集中销毁")
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector("text=已报批")
    dlist.refresh_from_db()
    assert dlist.status == ListStatus.SUBMITTED
    request = dlist.request
    sign_out(page)

    # 领导 approves the request.
    sign_in(page, "lingdao")
    page.goto(f"{page.base_url}/requests/{request.pk}/")
    page.click("button[value=approve]")
    page.wait_for_selector("text=已批准申请")
    assert page.locator("#request-status").inner_text() == "已批准"
    sign_out(page)

    # 保密员: the same witness twice is refused in red with CR-12, and nothing changes (the
    # select cannot send a person twice, so a crafted form adds the duplicate).
    sign_in(page, "baomiyuan")
    page.goto(f"{page.base_url}/destruction/{dlist.pk}/")
    page.select_option("#id_method", "shred")
    page.fill("#id_place", "机要室")
    page.select_option("#id_witnesses", [str(w.classifier.pk)])
    page.evaluate(
        """pk => {
            const extra = document.createElement('input');
            extra.type = 'hidden'; extra.name = 'witnesses'; extra.value = pk;
            document.querySelector('#destroy-form').appendChild(extra);
        }""",
        str(w.classifier.pk),
    )
    page.click("#destroy-form button[type=submit]")
    refusal = page.locator(".refusal")
    refusal.wait_for()
    assert "CR-12" in refusal.inner_text()
    assert "不同的人" in refusal.inner_text()
    dlist.refresh_from_db()
    assert dlist.status == ListStatus.SUBMITTED and not dlist.witnesses.exists()
    assert set(
        Carrier.objects.filter(pk__in=[one.pk, two.pk]).values_list("status", flat=True)
    ) == {Status.PENDING_DESTRUCTION}

    # ...then destroys with two different cleared witnesses, neither of them the requester.
    page.goto(f"{page.base_url}/destruction/{dlist.pk}/")
    page.select_option("#id_method", "shred")
    page.fill("#id_place", "机要室碎纸间")
    page.select_option("#id_witnesses", [str(w.classifier.pk), str(w.zhang.pk)])
    page.click("#destroy-form button[type=submit]")
    page.wait_for_selector("text=已全部销毁")
    items = page.locator("#items").inner_text()
    assert items.count("已销毁") == 2
    done = page.locator("p", has_text="监销人").inner_text()
    assert "孙定密" in done and "张三" in done and "赵保密" in done
    for carrier in (one, two):
        carrier.refresh_from_db()
        assert carrier.status == Status.DESTROYED
    kept.refresh_from_db()
    assert kept.status == Status.IN_REGISTRY

    # The certificate is a PDF.
    href = page.get_attribute("a[href$='/certificate.pdf']", "href")
    response = page.request.get(page.base_url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_review_scan_hits_shown_publish_refused_until_every_level_signed(page, settings, tmp_path):
    settings.BAOMI_FILE_DIR = str(tmp_path / "files")
    w = build_world()
    review_actions.save_terms(w.clerk, w.unit, ["某型号"])

    # 张三 writes and submits; the automatic scan runs (REV-3).
    sign_in(page, "zhangsan")
    page.goto(page.base_url + "/reviews/new/")
    page.fill("#id_title", "关于参加装备展的信息")
    page.select_option("#id_destination", "website")
    page.select_option("#id_department", str(w.office.pk))
    page.select_option("#id_first_reviewer", str(w.li.pk))
    page.fill("#id_text", "本单位参加了装备展。\n展出的某型号资料原标机密★5年，已按规定处理。")
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(r"/reviews/\d+/$"))
    review = Review.objects.get()
    # REV-3: a marking or a listed term holds the text until a leader decides with a reason.
    assert page.locator("#review-status").inner_text() == "自动检查有命中，待领导判定"
    hits = page.locator("#scan-result mark")
    assert set(hits.all_inner_texts()) >= {"机密★5年", "某型号"}
    assert page.locator("#scan-result .scan-hit >> text=密级标志").count() >= 1
    assert page.locator("#scan-result .scan-hit >> text=敏感词").count() >= 1

    # Publishing now is refused with REV-1 (the page offers no button: a crafted post).
    post_to(page, f"/reviews/{review.pk}/publish/", {"where": "门户网站", "on": today()})
    refusal = page.locator(".refusal")
    refusal.wait_for()
    assert "REV-1" in refusal.inner_text()
    review.refresh_from_db()
    assert review.status == ReviewStatus.HITS_PENDING and review.published_on is None
    sign_out(page)

    # 钱领导 looks at every hit and decides, with a reason, that the text may go on (REV-3).
    sign_in(page, "lingdao")
    page.goto(f"{page.base_url}/reviews/{review.pk}/")
    page.fill("#hit-decision #id_comment", "原标密级已依法解除，型号已公开，可继续审查")
    page.click("#hit-decision button.btn-outline-success")
    page.wait_for_selector("#review-status >> text=待本人自查")
    sign_out(page)

    # The author's self-check: after hits the statement is theirs to write, not pre-filled.
    sign_in(page, "zhangsan")
    page.goto(f"{page.base_url}/reviews/{review.pk}/")
    page.fill("#id_statement", "已逐条核实命中：原标密级已解除，型号已公开，不涉及国家秘密。")
    page.check("#id_confirm")
    page.click(f"form[action$='/{review.pk}/self-check/'] button")
    page.wait_for_selector("#review-status >> text=待部门初审")
    sign_out(page)

    # 李四's first review, then 钱领导's sign-off.
    for username, waiting in (("lisi", "待领导签批"), ("lingdao", "审查通过")):
        sign_in(page, username)
        page.goto(f"{page.base_url}/reviews/{review.pk}/")
        assert page.locator("#scan-result mark", has_text="机密★5年").count() >= 1
        page.fill("#id_comment", "已核看命中，同意")
        page.click(f"form[action$='/{review.pk}/approve/'] button.btn-success")
        page.wait_for_selector(f"#review-status >> text={waiting}")
        sign_out(page)

    # 张三 registers the publication.
    sign_in(page, "zhangsan")
    page.goto(f"{page.base_url}/reviews/{review.pk}/")
    page.fill("#id_where", "门户网站·工作动态")
    page.click(f"form[action$='/{review.pk}/publish/'] button")
    page.wait_for_selector("#review-status >> text=已发布")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert review.published_where == "门户网站·工作动态"
    steps = page.locator("ol.list-group").inner_text()
    for stage in ("自动检查", "本人自查", "部门初审", "领导签批", "发布"):
        assert stage in steps


def today() -> str:
    return timezone.localdate().isoformat()


def post_to(page, path: str, fields: dict) -> None:
    """Submit a form the page does not offer, with the page's CSRF token (as a crafted request
    from a signed-in browser would)."""
    page.evaluate(
        """([path, fields]) => {
            const form = document.createElement('form');
            form.method = 'post'; form.action = path;
            const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
            for (const [name, value] of Object.entries({...fields, csrfmiddlewaretoken: token})) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        [path, fields],
    )
    page.wait_for_load_state()


def test_clearance_path_vetting_and_commitment_first_then_three_steps(page):
    from baomi.personnel import organisation
    from baomi.personnel.models import ClearanceDecision
    from tests.factories import person

    w = build_world()
    organisation.set_department_head(w.system, w.office, w.classifier)  # 孙定密 heads 秘书科
    hire = person(w.system, w.unit, "周新", w.office, "none", "")
    detail = f"{page.base_url}/people/{hire.pk}/"

    def propose():
        page.goto(detail)
        page.click("details:has(#id_propose_clearance) summary")
        page.select_option("#id_propose_clearance", "important")
        page.select_option("#id_propose_highest_level", "secret")
        page.fill("#id_propose_reason", "岗位接触机密文件")
        page.click(f"form[action$='/{hire.pk}/do/propose/'] button[type=submit]")

    # 钱领导 (of the same department) proposes before any vetting: refused with PER-3.
    sign_in(page, "lingdao")
    page.goto(detail)
    assert "PER-3" in page.locator(".alert-warning").inner_text()
    propose()
    refusal = page.locator(".refusal")
    refusal.wait_for()
    assert "PER-3" in refusal.inner_text()
    assert not ClearanceDecision.objects.exists()
    sign_out(page)

    # 保密员 records the vetting and the signed commitment.
    sign_in(page, "baomiyuan")
    page.goto(detail)
    page.click("details:has(#id_vetting_on) summary")
    page.fill("#id_vetting_on", today())
    page.select_option("#id_vetting_result", "passed")
    page.click(f"form[action$='/{hire.pk}/do/vetting/'] button[type=submit]")
    page.wait_for_selector("text=已记录保密审查")
    page.click("details:has(#id_commitment_signed_on) summary")
    page.select_option("#id_commitment_kind", "on_post")
    page.fill("#id_commitment_signed_on", today())
    page.click(f"form[action$='/{hire.pk}/do/commitment/'] button[type=submit]")
    page.wait_for_selector("text=已登记承诺书")
    assert page.locator(".alert-warning", has_text="PER-3").count() == 0

    # The 保密办 proposes for the department, its head checks, the unit head approves (PER-2) —
    # three different people (APR-1).
    propose()
    page.wait_for_selector("text=已提出涉密等级")
    decision = ClearanceDecision.objects.get()
    sign_out(page)
    sign_in(page, "dingmi")
    page.goto(detail)
    page.click(f"form[action$='/decision/{decision.pk}/check/'] button")
    page.wait_for_selector("text=已审核")
    sign_out(page)
    sign_in(page, "lingdao")
    page.goto(detail)
    page.click(f"form[action$='/decision/{decision.pk}/approve/'] button")
    page.wait_for_selector("text=涉密等级已生效")
    hire.refresh_from_db()
    assert hire.clearance == "important"
    row = page.locator("#decisions tbody tr").first.inner_text()
    assert "赵保密 / 孙定密 / 钱领导" in row

    # ...and 周新 is in the 涉密人员 ledger as 重要.
    page.goto(page.base_url + "/people/")
    assert (
        "重要" in page.locator("tr", has=page.locator(f"a[href='/people/{hire.pk}/']")).inner_text()
    )
