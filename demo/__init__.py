"""The demo of all processes: the demo district's organisations and accounts,
then each process's demo data (`manage.py seed_demo`), and the demo grown to
scale for the benchmark (`manage.py grow_demo`). A place of its own, so no
process imports another's demo; this app may import every process, none
imports it."""
