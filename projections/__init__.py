"""Read models: tracked projections, their tables, Redis views and query functions."""
