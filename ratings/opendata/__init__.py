"""Open data (信用公示, DESIGN §4 "Credit publication"): the OCDS 1.1 release package of the
published projects (`ocds`) and the credit table as CSV and JSON (`credit`)."""
