"""leadspec: a lead management process kept as YAML, published as a playbook, enforced on CRM data."""

__version__ = "0.1.0"
