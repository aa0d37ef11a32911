"""The researchers' side: the sxworker command, its outputs (tables, data card,
report), Datasette, the demo and reparse. Imports crawl, archive and site.
"""
