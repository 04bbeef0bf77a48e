"""The process spec: models, loading with source positions, lint, JSON Schema.

First step of the pipeline: YAML files in, a validated `Spec` and findings out.
Nothing here reads CRM data or renders pages.
"""

from __future__ import annotations

from .findings import Finding, Severity
from .load import LoadedSpec, load_spec
from .models import Spec

__all__ = ["Finding", "LoadedSpec", "Severity", "Spec", "load_spec"]
