"""财政项目支出绩效自评引擎 — read declarations, parse targets, score actuals, write reports."""

__version__ = "0.1.0"
