"""The Scrapy settings module ``scrapy.cfg`` names (INTERFACE.md: ``sxworker.settings``):
every setting lives in :mod:`sxworker.crawl.settings`, read here so that name keeps working
for cron jobs and deployments that set ``SCRAPY_SETTINGS_MODULE`` themselves."""

from sxworker.crawl.settings import *  # noqa: F403
