"""The bidding REST API (API.md "Projects and bids"); its paths are in `bidding.api.urls`."""
