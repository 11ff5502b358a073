"""The regulator console inside the Wagtail admin (/console/)."""
