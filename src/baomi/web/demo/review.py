"""Review before publication (REV-1…3): a term list and reviews in every stage."""

from __future__ import annotations

from baomi.web.demo.office import _Demo


def load_review_demo(demo: _Demo) -> None:
    """A term list and reviews in every stage, all through review.actions."""
    from baomi.review import actions as review
    from baomi.review.choices import Destination, Stage

    p = demo.people
    review.save_terms(
        p["clerk"],
        demo.unit,
        ["某型号", "试验基地", "内部讨论稿", "未公开数据", "代号"],
        note="初始词表",
    )

    def draft(author, title, text, reviewer, **extra):
        form = review.ReviewForm(
            title=title,
            text=text,
            destination=extra.pop("destination", Destination.WEBSITE),
            department=author.department,
            first_reviewer=reviewer,
            source=author.department.name,
            **extra,
        )
        return review.submit(author, review.create_review(author, form))

    notice = draft(
        p["zhang"],
        "关于开展春季植树活动的通知",
        "各处室：定于三月十二日开展义务植树。",
        p["director"],
    )
    review.self_check(p["zhang"], notice, "本人已逐项自查，不涉及国家秘密和工作秘密。")
    review.approve(p["director"], notice, Stage.FIRST_REVIEW, "同意上网")
    review.approve(p["leader"], notice, Stage.LEADER, "同意")
    review.publish(p["zhang"], notice, where="门户网站·通知公告", on=demo.today)

    draft(p["li"], "办公室年度工作总结（公开版）", "本年度完成某型号配套保障工作。", p["wu"])
    waiting = draft(p["he"], "综合科信息简报第3期", "简报内容：后勤保障情况。", p["hu"])
    review.self_check(p["he"], waiting, "已自查。")
    sent = draft(
        p["ma"],
        "向审计事务所提供的财务资料",
        "2025年度部分经费支出明细。",
        p["sun"],
        destination=Destination.OUTSIDE_PARTY,
        destination_detail="XX会计师事务所",
        important=True,
    )
    review.self_check(p["ma"], sent, "已自查，未含涉密事项。")
    review.send_back(p["sun"], sent, Stage.FIRST_REVIEW, "请删去未公开数据后重新提交")
