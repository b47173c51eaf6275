"""Builders for review tests: submissions by 张三 (重要, 办公室秘书科) first-reviewed by 孙定密."""

from __future__ import annotations

from baomi.classification.choices import Level
from baomi.review import actions
from baomi.review.choices import Destination, Stage


def form(w, **overrides) -> actions.ReviewForm:
    values = {
        "title": "关于开展春季植树活动的通知",
        "destination": Destination.WEBSITE,
        "department": w.office,
        "first_reviewer": w.classifier,
        "text": "各处室：定于三月十二日开展植树活动。",
        "source": "办公室秘书科",
        "level": Level.PUBLIC,
    }
    values.update(overrides)
    return actions.ReviewForm(**values)


def submitted(w, author=None, files=(), **overrides):
    author = author or w.zhang
    review = actions.create_review(author, form(w, **overrides))
    for name, data in files:
        actions.attach_file(author, review, name=name, data=data)
    return actions.submit(author, review)


def at_first_review(w, **overrides):
    review = submitted(w, **overrides)
    return actions.self_check(review.author, review, "本人已逐项自查，不含国家秘密和工作秘密。")


def at_leader(w, **overrides):
    review = at_first_review(w, **overrides)
    return actions.approve(review.first_reviewer, review, Stage.FIRST_REVIEW, "同意上网")


def approved_review(w, **overrides):
    review = at_leader(w, **overrides)
    return actions.approve(w.leader, review, Stage.LEADER, "同意")
