"""Versioned scoring standards (评分标准) and the score sheet checked
against them: the engine's, for any process whose route has inspectors
score a case (models: workflows.models.scoring)."""
