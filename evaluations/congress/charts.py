"""Charts drawn by the app: inline SVG built on the server (no script, no
CDN). A bar per intermediate union against the target's line."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

ROW = 26
LABEL_WIDTH = 150
BAR_WIDTH = 200
VALUE_WIDTH = 60


def _short(text, limit=10):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def target_chart(title, rows, target, unit_suffix):
    """`rows`: [(label, value or None)]; `target`: the line's figure.
    Returns safe SVG markup, readable on a 390 px phone (it scales)."""
    values = [float(v) for _label, v in rows if v is not None]
    top = max([float(target), *values, 1.0])
    if unit_suffix == "%":
        top = max(top, 100.0)
    height = ROW * len(rows) + 24
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    x_target = LABEL_WIDTH + BAR_WIDTH * float(target) / top
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 6 + i * ROW
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end" font-size="12">'
                     f"{escape(_short(label))}</text>")
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="18" fill="#eef1f5"/>')
        if value is not None:
            length = BAR_WIDTH * float(value) / top
            colour = "#2e7d32" if float(value) >= float(target) else "#c62828"
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="18" fill="{colour}"/>')
            text = f"{value}{unit_suffix}"
        else:
            text = "—"
        parts.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 14}" font-size="12">{escape(text)}</text>')
    parts.append(f'<line x1="{x_target:.1f}" y1="0" x2="{x_target:.1f}" y2="{height - 16}" stroke="#1a237e" '
                 f'stroke-width="2" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{x_target:.1f}" y="{height - 3}" text-anchor="middle" font-size="11" fill="#1a237e">'
                 f"{escape(f'{target}{unit_suffix}')}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))
