"""The contracts REST API (API.md "Contracts and payments"); routes in `contracts.api.urls`."""
