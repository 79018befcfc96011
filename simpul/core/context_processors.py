from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from .models import DemoDataset

DEMO_CACHE_KEY = "simpul:demo-dataset"


def site(request: HttpRequest) -> dict[str, Any]:
    """Whether the database holds demo data (for the banner)."""
    is_demo = cache.get(DEMO_CACHE_KEY)
    if is_demo is None:
        is_demo = DemoDataset.objects.exists()
        cache.set(DEMO_CACHE_KEY, is_demo, 300)
    return {"is_demo": is_demo}
