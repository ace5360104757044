"""The arithmetic of a count: shares compared exactly as whole numbers
(a·den > num·b), so 20 of 30 is exactly 2/3 and not "below" it, and
percentages to two places (half up) as the result sheets print them."""

from decimal import ROUND_HALF_UP, Decimal


def percent(part, whole):
    """part/whole as a percentage, two places; 0.00 of nothing."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def as_percent(share):
    """A Fraction as a percentage, two places (Decimal); None stays None."""
    return None if share is None else percent(share.numerator, share.denominator)


def more_than(part, whole, numerator, denominator):
    """Is `part` more than numerator/denominator of `whole`?"""
    return part * denominator > numerator * whole


def fewest_more_than(whole, numerator, denominator):
    """The least whole number more than numerator/denominator of `whole`:
    21 of 40 for 1/2, 21 of 30 for 2/3."""
    return numerator * whole // denominator + 1
