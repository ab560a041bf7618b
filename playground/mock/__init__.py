"""mock."""

#: Where the app mounts the mock (its URL is the gateway URL to use): the web layer routes
#: errors under it and sends to it in process by this prefix, without importing the routes.
PREFIX = "/mock/v1"
