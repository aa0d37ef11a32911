"""The crawl: Scrapy components (settings, the spider, middlewares, pipelines,
extensions, the crawl command). Imports site and archive, never research.
"""
