"""The vetted dialect: what it refuses, and rewrites whose meaning can be checked as text."""

from __future__ import annotations

import pytest
import sqlglot

from leadspec.engines.dialect import UnvettedSQL, _java_replacement, render, translate


def spark(sql: str) -> str:
    return render(sqlglot.parse_one(sql, read="duckdb"), "spark")


@pytest.mark.parametrize("target", ["postgres", "spark", "snowflake", "bigquery"])
@pytest.mark.parametrize(
    "sql, refused",
    [
        ("SELECT levenshtein(a, b) FROM t", "Levenshtein"),
        ("SELECT strftime(a, '%d/%m/%Y') FROM t", "strftime"),
        ("SELECT date_diff('day', a, b) FROM t", "date_diff by DAY"),
        ("SELECT regexp_replace(a, '\\bx', 'y') FROM t", "regular expression|RegexpReplace"),
        ("SELECT a AS n FROM t GROUP BY a HAVING n > 1", "HAVING names the output column n"),
    ],
)
def test_a_construct_off_the_list_is_refused_by_name(sql: str, refused: str, target: str) -> None:
    with pytest.raises(UnvettedSQL, match=refused):
        translate(sql, target)


def test_subqueries_are_named_in_order_so_the_same_sql_gives_the_same_text() -> None:
    sql = "SELECT * FROM (SELECT 1 AS a) JOIN (SELECT 1 AS a) USING (a)"
    assert translate(sql, "postgres") == translate(sql, "postgres")
    assert "_leadspec_s1" in translate(sql, "postgres")[0]
    assert "_leadspec_s2" in translate(sql, "postgres")[0]


def test_a_replaced_table_is_dropped_and_made_temporary_on_postgres() -> None:
    drop, create = translate("CREATE OR REPLACE TABLE leads AS SELECT 1 AS a", "postgres")
    assert drop == "DROP TABLE IF EXISTS leads"
    assert create.startswith("CREATE TEMPORARY TABLE leads")


@pytest.mark.parametrize(
    "re2, java", [(r"\1-\2", "$1-$2"), (r"a\\b", r"a\\b"), ("cost $5", r"cost \$5"), ("plain", "plain")]
)
def test_replacements_keep_their_meaning_in_java(re2: str, java: str) -> None:
    assert _java_replacement(re2) == java


def test_list_positions_and_elements_are_one_based_and_null_when_absent_on_spark() -> None:
    assert "NULLIF(ARRAY_POSITION(a, 'x'), 0)" in spark("SELECT list_position(a, 'x') FROM t")
    assert "TRY_ELEMENT_AT(a, 1)" in spark("SELECT a[1] FROM t")
    assert "SLICE(a, 1, (3 - 1) + 1)" in spark("SELECT a[1:3] FROM t")


def test_an_ordered_list_sorts_by_each_key_with_nulls_last_on_spark() -> None:
    text = spark("SELECT list(k ORDER BY n DESC, k) FROM t")
    assert text.startswith("SELECT TRANSFORM(ARRAY_SORT(COLLECT_LIST(NAMED_STRUCT('k0', n, 'k1', k, 'v', k))")
    assert "WHEN l.k0 < r.k0 THEN 1 WHEN l.k0 > r.k0 THEN -1" in text  # n descending
    assert "WHEN l.k1 < r.k1 THEN -1 WHEN l.k1 > r.k1 THEN 1" in text  # then k ascending


def test_times_in_a_zone_become_utc_and_utc_stays_as_it_is_on_spark() -> None:
    assert spark("SELECT timezone('UTC', a) FROM t") == "SELECT (a) FROM t"
    assert "TO_UTC_TIMESTAMP(a, 'Europe/Berlin')" in spark("SELECT timezone('Europe/Berlin', a) FROM t")
