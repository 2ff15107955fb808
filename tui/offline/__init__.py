"""Use case: articles kept for reading without a network. `saving` fetches whole pages and their
images; `export` writes saved articles as Markdown, HTML or EPUB."""
