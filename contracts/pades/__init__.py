"""PAdES signatures of contract PDFs (docs/decisions.md "PAdES contract signatures (issue
16)"): `document` signs, `verification` checks, with pyHanko."""
