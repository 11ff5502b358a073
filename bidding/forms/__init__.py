"""Forms of the bidding pages: `owner` (projects) and `agency` (bids, questions, objections)."""
