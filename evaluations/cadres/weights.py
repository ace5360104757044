"""Weights by rater category (领导班子成员, 中层干部, 职工代表 …).

An evaluation may weight the grades by who gave them. Voters are imported
with their category; codes are generated for a category and paper piles
are entered as a category's, so each ballot carries its category (shared
by every ballot of that category, naming no one). The evaluation lists the
categories with their weights; an empty list means every ballot weighs the
same and nothing here runs.

For a cadre and a grade, the weighted share is

    Σ_c w_c · (votes of the grade from category c ÷ base_c) ÷ Σ_c w_c

over the categories c whose ballots gave the cadre a base (base_c > 0, the
votes given or, if the evaluation says so, the ballots cast in c): a
category nobody of which voted drops out and the other weights are scaled
up. Shares are exact fractions; the thresholds compare them exactly and
the sheets print them as percentages to two places. The formula is printed
on the result sheet (formula_zh)."""

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count

from .models import ABSTAIN, BallotGrade, Grade, RateBase

MAX_WEIGHT = 1000


def weights_of(evaluation):
    """[(category, weight)] in the order the evaluation lists them."""
    return [(str(category), int(weight)) for category, weight in (evaluation.category_weights or [])]


def categories_of(evaluation):
    return [category for category, _weight in weights_of(evaluation)]


def counts_by_category(evaluation):
    """{cadre_id: {category: {grade: votes}}}: ONE aggregate query (grades
    grouped by cadre, the ballot's category and the grade)."""
    rows = (
        BallotGrade.objects.filter(ballot__evaluation=evaluation)
        .values_list("cadre_id", "ballot__category", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {}
    for cadre_id, category, grade, n in rows:
        counts.setdefault(cadre_id, {}).setdefault(category, {})[grade] = n
    return counts


@dataclass
class WeightedShares:
    excellent: Fraction
    good: Fraction  # 优秀 + 称职
    incompetent: Fraction
    categories: list = field(default_factory=list)  # the categories counted


def weighted_shares(evaluation, by_category):
    """The weighted shares of one cadre from its {category: {grade: votes}},
    or None when no weighted category gave it a base."""
    total = 0
    excellent = good = incompetent = Fraction(0)
    counted = []
    for category, weight in weights_of(evaluation):
        votes = by_category.get(category, {})
        graded = sum(votes.get(g, 0) for g in Grade.values)
        base = graded + votes.get(ABSTAIN, 0) if evaluation.rate_base == RateBase.BALLOTS else graded
        if not base or not weight:
            continue
        total += weight
        counted.append(category)
        excellent += Fraction(weight * votes.get(Grade.EXCELLENT, 0), base)
        good += Fraction(weight * (votes.get(Grade.EXCELLENT, 0) + votes.get(Grade.COMPETENT, 0)), base)
        incompetent += Fraction(weight * votes.get(Grade.INCOMPETENT, 0), base)
    if not total:
        return None
    return WeightedShares(excellent / total, good / total, incompetent / total, counted)


def formula_zh(evaluation):
    """The weighting as printed on the result sheet (Chinese, as the
    official forms), or "" for an unweighted evaluation."""
    weights = weights_of(evaluation)
    if not weights:
        return ""
    base = "该类别投票总数" if evaluation.rate_base == RateBase.BALLOTS else "该类别对其评价票数（弃权不计）"
    listed = "，".join(f"{category} {weight}" for category, weight in weights)
    return (f"加权计算：某项加权率 = Σ（类别权重 × 该类别该项得票 ÷ {base}）÷ Σ 类别权重。"
            f"权重：{listed}。某类别无人投票时不计其权重。评议结果按加权率判定。")
