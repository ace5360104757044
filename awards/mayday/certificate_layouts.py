"""The May Day award's certificate layouts (奖状, 奖章, 工人先锋号: a
certificate's layout is its award kind) are the kinds' own: one
registration and one set of templates (awards/kinds/certificate_layouts.py),
so a May Day certificate and a kinds certificate of the same layout print
alike, and the May Day award can move onto kinds (docs/mayday-as-kinds.md)."""

from awards.kinds import certificate_layouts  # noqa: F401 (registers the layouts)
