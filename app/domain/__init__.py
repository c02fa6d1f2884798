"""The domain: the fixed lists of DOMAIN.md, the dataclasses repositories return, the domain
errors and the date rules (school year, date parsing). Plain Python: no database, no Qt."""
