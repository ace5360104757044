"""Forms as data: a district describes a form as a list of fields drawn
from a fixed palette (`palette`), the engine checks the description
(`definition`) and builds a Django form from it (`building`). Used where a
form is something a district edits (a kind of campaign) rather than code."""
