"""trappa: run the escalation ladder for supplier deviations."""

__version__ = "0.1.0"
