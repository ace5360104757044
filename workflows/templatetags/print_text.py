"""Names on paper break only at sensible points.

Chinese text may break between any two characters, which cuts a personal
name (阿卜杜热合曼·买 / 买提明) or a unit name (设备维修车 / 间) in the
middle. `keep_words` splits a name into words: the parts of a name joined
by the middle dot, and the parts of a unit name after an organisational
word (有限公司, 工会, 车间 ...). Each word is kept whole on a line (a line
may break between words), unless it is too long to fit any column, where
it falls back to breaking anywhere."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# Words after which a unit name may break, longest first so that
# 有限公司 wins over 公司.
_UNIT_WORDS = sorted(
    """股份有限公司 有限责任公司 有限公司 分公司 公司 集团 总工会 工会 委员会 工委 办事处 街道 社区 车间 班组
    中心 医院 卫生院 学校 小学 中学 大学 学院 研究院 研究所 事务所 自治区 自治州 自治县 省 市 县 区 镇 乡 村
    厂 局 院 所 站 队 处 科 部 室 兼""".split(),
    key=len,
    reverse=True,
)
_WORD = re.compile(
    r"(?:[^·•・\s（(]+?(?:" + "|".join(map(re.escape, _UNIT_WORDS)) + r")(?=.)"  # up to an organisational word
    r"|[^·•・\s（(]+[·•・]"  # a part of a name, with its dot
    r"|[（(][^）)]*[）)]"  # a bracketed part
    r"|[^（(\s]+?(?=[（(])"  # up to a bracket
    r"|\S+)\s*"
)
# Longer words than this are left to break anywhere (no column holds them).
LONGEST_KEPT = 8


def words(text):
    return _WORD.findall(text or "")


@register.filter
def keep_words(text):
    parts = []
    for word in words(str(text or "")):
        if len(word) <= LONGEST_KEPT:
            parts.append(f'<span class="nobr">{escape(word)}</span>')
        else:
            parts.append(escape(word))
    return mark_safe("<wbr>".join(parts))
