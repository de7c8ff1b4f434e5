"""Graph nodes, one module per phase (specialists live in `agents.specialists`)."""
