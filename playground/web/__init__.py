"""The web layer: one blueprint per concern (page, send, call, share, snippet), the helpers
they share (page state, refusals, send targets, templating) and the app's protections."""
