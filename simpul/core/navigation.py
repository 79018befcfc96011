"""The menu: each app registers what it offers, and to whom.

Core holds the list; the apps above register their entries when they load,
each with a predicate that asks the access policy. The context processor in
accounts shows a person exactly the entries their role can use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    order: int
    description: str | Promise = ""
    visible: Callable[[Any], bool] = lambda user: True


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.key] = item


def items_for(user: Any) -> list[NavItem]:
    return sorted((item for item in _ITEMS.values() if item.visible(user)), key=lambda item: item.order)
