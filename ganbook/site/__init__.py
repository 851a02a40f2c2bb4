"""The MkDocs side of ganbook: the plugin, the page directives, MathJax and notebook fixes."""
