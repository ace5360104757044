"""Quotas: places of a campaign handed down the organisation tree, for any
process (model workflows.models.Quota).

A process registers, for its campaign model, what the engine cannot know
(registry.QuotaScheme): the categories a campaign offers and their labels,
the cases that hold a place, who sets and who shares. The engine then
keeps the rules:

- the top of the tree (the district) hands places to its intermediate
  unions (`services.quota_set`);
- an intermediate union shares its places among its grassroots unions,
  never more than it holds, never fewer than a union already uses
  (`services.quota_share`);
- a submission is checked at both levels (`services.check_places`), under
  the quota row's lock, taken after the case's (docs/lock-order.md, 3);
- the campaign page's table of places used (`selectors.quota_table`) and
  the district's edit rows (`selectors.quota_edit_rows`, with
  `services.save_places` behind them)."""
