"""scraper."""
