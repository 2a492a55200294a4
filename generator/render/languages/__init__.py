"""Languages: one module a language (`python`, `typescript`, `go`), each with identifiers, type
printing, escaping filters and a template view (`python_view`, `typescript_view`, `go_view`), registered in
`render.style.LANGUAGES`."""
