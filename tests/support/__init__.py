"""Test support: real local servers (SMTP, OpenAI-compatible) and factories."""
