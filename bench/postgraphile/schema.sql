-- What PostGraphile needs to ask benchmark queries b and c as silkgraph does, added to the
-- benchmark's database only (never by silkgraph's migrations).
--
-- silkgraph lists transfers newest order first with undated deals last, ordering by
-- coalesce(order_year, 0) DESC, id; ix_arms_transfer_{recipient,supplier}_newest hold that
-- order. PostGraphile orders by columns or by "computed columns": this one is that
-- expression, which PostgreSQL inlines (a one-line SQL function), so PostGraphile's pages
-- use the same indexes and return the same rows in the same order. Without it,
-- ORDER_YEAR_DESC would sort every transfer of the recipient before taking the first page.
CREATE OR REPLACE FUNCTION arms_transfer_newest(t arms_transfer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(t.order_year, 0) $$;
COMMENT ON FUNCTION arms_transfer_newest(arms_transfer) IS
    E'@behavior +orderBy\nThe order year, 0 when unknown: silkgraph''s newest-first order.';

-- silkgraph lists organisations by acronym in any case (lower(acronym), id; the unique index
-- ix_organisation_acronym_lower holds it). PostGraphile offers ordering by indexed columns
-- only, and acronym has no index of its own: this computed column is silkgraph's order.
CREATE OR REPLACE FUNCTION organisation_acronym_order(o organisation) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(o.acronym) $$;
COMMENT ON FUNCTION organisation_acronym_order(organisation) IS
    E'@behavior +orderBy\nThe acronym in lower case: silkgraph''s order of organisations.';
