"""How the product shows money and dates: one format everywhere, per language."""
