"""Forms as data: a district describes a form as a list of fields drawn
from a fixed palette (`palette`), the engine checks the description
(`definition`) and builds a Django form from it (`building`). Used where a
form is something a district edits (a kind of campaign) rather than code."""

# Kinds of field kept in modules of their own (they build on the palette's
# FieldKind), in the palette whichever module of the package is imported.
from .items import Items  # noqa: E402
from .palette import PALETTE  # noqa: E402

PALETTE.setdefault(Items.code, Items())
