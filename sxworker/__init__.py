"""sxworker: crawler and research archive for the e-paper of 陕西工人报."""

__version__ = "0.1.0"
