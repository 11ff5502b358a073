"""The demo market (`manage.py seed_demo`): organizations, site content and a market in every
state, made through the real services. Above every other app: it only calls them."""
