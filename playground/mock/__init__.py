"""mock."""

#: Where the app mounts the mock (its URL is the gateway URL to use): the web layer routes
#: errors under it and sends to it in process by this prefix, without importing the routes.
PREFIX = "/mock/v1"
#: The key a send or a call to this server's own mock carries when the visitor typed none:
#: the mock accepts any key, so "offline" needs nothing typed. Not a secret.
PLACEHOLDER_KEY = "sk-playground-mock"
