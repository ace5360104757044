"""The password every demo account gets (printed by `seed_demo`)."""

DEMO_PASSWORD = "demo-2024"
