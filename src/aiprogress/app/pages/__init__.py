"""Explorer pages; each module exposes ``page() -> aiprogress.app.server.Page``."""
