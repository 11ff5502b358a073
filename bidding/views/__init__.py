"""Bidding pages: `public` (anyone), `owner` (the owner's workspace), `agency` (bids)."""
