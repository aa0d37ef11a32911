"""The e-paper itself: URL shapes, dates, items and their loaders, and the parsers
(bytes → items). No Scrapy engine, no SQL: imports nothing of crawl, archive or research.
"""
