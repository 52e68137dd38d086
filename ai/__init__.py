"""Code review, notebook and learning path: offline analysis and an OpenAI-compatible model."""
