"""A secret ballot with one-time codes, for any process that votes by
secret ballot (docs/ballot-secrecy.md): the codes and receipts (codes.py),
casting with a code in one transaction (casting.py), the close's rewrite
that leaves no link between a ballot and its code (unlinking.py). The
process keeps its own models (what a ballot holds) and its own checks.

It sits beside the engine, not in it: the engine (workflows/) runs any
process and knows no ballot; a process that votes builds on both. It
imports the engine (audit, rate limits, documents); the engine never
imports it."""
