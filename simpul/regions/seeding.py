from simpul.core.seeding import SeedContext, seeder

from .loader import load_regions
from .models import Province


@seeder(order=0)
def ensure_regions(context: SeedContext) -> None:
    """Synthetic centres need the real areas; load them if nobody has yet."""
    if not Province.objects.exists():
        context.out.write(load_regions().summary() + "\n")
