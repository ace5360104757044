"""Kinds of campaign set up as data (honours, pilot sites, competitions, aid …):
a district administrator describes who applies, the form, the route chosen
among the route templates declared in code, and what the campaign ends in;
every edit of a kind in use makes a new version, and running campaigns keep
theirs."""
