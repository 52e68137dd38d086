"""Settings, clients, pools, the embedded servers and the composition root."""
