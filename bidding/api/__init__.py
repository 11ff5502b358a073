"""The bidding REST API (API.md "Projects and bids"); paths are listed in
marketplace/api_urls.py under `# bidding`."""
