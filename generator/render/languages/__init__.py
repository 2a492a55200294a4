"""Languages: one module a language (`python`, `typescript`), each with identifiers, type printing,
escaping filters and a template view (`python_view`, `typescript_view`), registered in
`render.style.LANGUAGES`."""
