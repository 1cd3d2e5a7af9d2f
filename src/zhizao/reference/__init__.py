"""Policy packs: everything place-specific, as validated data files (see pack.py, models.py)."""

from .pack import DEFAULT_PACK, Pack, PackError, load_pack

__all__ = ["DEFAULT_PACK", "Pack", "PackError", "load_pack"]
