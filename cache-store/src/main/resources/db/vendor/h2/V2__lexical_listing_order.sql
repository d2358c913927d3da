-- H2 already compares strings by code point, the order the OCI spec asks of listings; see the
-- PostgreSQL migration of the same version. Nothing to change here.
SELECT 1;
