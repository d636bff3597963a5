"""One router per domain; each endpoint calls a selector or a service and shapes the result."""
