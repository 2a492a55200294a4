"""Languages: per-language naming, type printing, escaping and template views."""
