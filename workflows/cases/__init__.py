"""The engine's generic case pages: the list of a process's cases
(`lists`, `list_views`). A process registers only what is its own."""
