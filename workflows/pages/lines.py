"""A text field of one item a line, the way a clerk types a short list
("张伟，总经理", "中层干部：30"): the two parts of a line split at a
Chinese or Latin comma (with `colons`, a colon too; with `last`, at the
last one), blank lines skipped. The process reads each line
(`read(number, first, second, items)`: the item, or a ValidationError
naming the line by its number as typed, `items` those read before it);
every wrong line is said at once. An initial list of pairs is shown one
pair a line."""

from django import forms


class PairsField(forms.CharField):
    def __init__(self, *args, read, last=False, colons=False, **kwargs):
        self.read, self.last, self.colons = read, last, colons
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(f"{first}，{second}" for first, second in value)
        return value

    def clean(self, value):
        items, errors = [], []
        for number, line in enumerate(super().clean(value).splitlines(), 1):
            if not line.strip():
                continue
            line = line.replace("，", ",")
            if self.colons:
                line = line.replace("：", ",").replace(":", ",")
            parts = [p.strip() for p in (line.rsplit(",", 1) if self.last else line.split(",", 1))]
            try:
                items.append(self.read(number, parts[0], parts[1] if len(parts) == 2 else "", items))
            except forms.ValidationError as wrong:
                errors.extend(wrong.messages)
        if errors:
            raise forms.ValidationError(errors)
        return items
