"""The places a new round hands down, on the form that opens it: one number
per intermediate union and category (`quota_<organisation>_<category>`),
drawn by templates/workflows/quotas/_new_places.html; the opening service
saves them with services.create_places."""

from django import forms


class NewPlacesMixin:
    """For a Form: call `add_place_fields(intermediates, categories)` from
    `__init__` ((code, label) categories); `places(offered, top)` gives the
    (organisation, category, count) rows of the offered categories under `top`."""

    def add_place_fields(self, intermediates, categories):
        self.place_organisations, self.place_categories = list(intermediates), list(categories)
        for org in self.place_organisations:
            for code, label in self.place_categories:
                self.fields[self.place_field_name(org, code)] = forms.IntegerField(
                    label=f"{org.name} · {label}", min_value=0, max_value=999, initial=0)

    @staticmethod
    def place_field_name(org, code):
        return f"quota_{org.pk}_{code}"

    def place_rows(self):
        """For the template: [(organisation, [bound field per category])]."""
        return [(org, [self[self.place_field_name(org, code)] for code, _label in self.place_categories])
                for org in self.place_organisations]

    def places(self, offered, top):
        return [(org, code, self.cleaned_data[self.place_field_name(org, code)])
                for org in self.place_organisations for code, _label in self.place_categories
                if code in offered and org.path.startswith(top.path)]
