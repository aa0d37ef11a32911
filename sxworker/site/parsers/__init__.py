"""Page parsers: bytes of a page → items. Pure functions, no Scrapy engine needed."""
