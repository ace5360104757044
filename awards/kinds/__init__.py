"""Kinds of campaign set up as data (优秀工会工作者, 职工书屋, 安康杯, 金秋助学 …):
a district administrator describes who applies, the form, the route chosen
among the route templates declared in code, and what the campaign ends in;
every edit of a kind in use makes a new version, and running campaigns keep
theirs."""
