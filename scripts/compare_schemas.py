#!/usr/bin/env python3
"""Compares the schema sql/sqlite/ builds with the one sql/postgresql/ builds.

Applies every sql/sqlite/*.sql to an in-memory SQLite database, reads the
PostgreSQL schema from a database the sql/postgresql/*.sql files were applied
to (through psql; give its connection options), and compares table by table:
columns in order with their type family, NOT NULL, default and primary key;
unique constraints; foreign keys; CHECK constraints (by the columns they
name); indexes with their columns or expressions, uniqueness and partial
predicate; and triggers by name. Prints each difference and exits 1 if there
is any, 0 if the two agree.

    scripts/compare_schemas.py -h /tmp/cluster -p 55437 -U postgres -d ledger
"""

import glob
import os
import re
import sqlite3
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Tables, triggers and functions one side has on purpose.
SQLITE_ONLY_TABLES = {"sqlite_sequence"}
# PostgreSQL has TRUNCATE, which row triggers do not see: these stop it.
PG_ONLY_TRIGGERS = {
    "audit_log_is_append_only_truncate",
    "audit_chain_is_fixed_truncate",
    "report_versions_are_append_only_truncate",
    "reports_are_never_truncated",
}


def norm_expr(text):
    """An index expression or predicate, compared across the two dialects."""
    if text is None:
        return ""
    t = text.lower()
    t = re.sub(r"::[a-z ]+", "", t)           # PostgreSQL's casts of literals
    t = re.sub(r'collate "?c"?', "", t)
    t = t.replace("(", " ").replace(")", " ")
    return " ".join(t.split())


def norm_default(text):
    if text is None:
        return None
    t = re.sub(r"::[a-z ]+", "", text.strip())
    return t.strip("()")


def type_family(declared):
    d = declared.lower()
    if "int" in d:
        return "integer"
    if "text" in d or "char" in d:
        return "text"
    return d


def sqlite_schema():
    db = sqlite3.connect(":memory:")
    for path in sorted(glob.glob(os.path.join(ROOT, "sql", "sqlite", "*.sql"))):
        with open(path, encoding="utf-8") as f:
            db.executescript(f.read())
    schema = {"tables": {}, "indexes": {}, "triggers": set()}
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        if table in SQLITE_ONLY_TABLES:
            continue
        cols = []
        for _, name, declared, notnull, default, pk in db.execute(
                f"PRAGMA table_info({table})"):
            cols.append((name, type_family(declared), bool(notnull or pk),
                         norm_default(default), bool(pk)))
        uniques = set()
        for _, iname, unique, origin, partial in db.execute(f"PRAGMA index_list({table})"):
            if origin == "u" and unique:
                uniques.add(tuple(r[2] for r in db.execute(f"PRAGMA index_info({iname})")))
        fks = set()
        for row in db.execute(f"PRAGMA foreign_key_list({table})"):
            fks.add((row[3], row[2], row[4]))
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        sql = re.sub(r"--[^\n]*", "", sql)
        checks = set()
        for _, name, *_ in db.execute(f"PRAGMA table_info({table})"):
            if re.search(rf"^\s*{name}\b[^,\n]*CHECK", sql, re.M) or re.search(
                    rf"CHECK \({name}\b", sql):
                checks.add(name)
        schema["tables"][table] = {"columns": cols, "uniques": uniques, "fks": fks,
                                   "checks": checks}
    for name, table, sql in db.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"):
        m = re.match(r"CREATE (UNIQUE )?INDEX \w+\s+ON (\w+) \((.*?)\)\s*(WHERE (.*))?$", sql,
                     re.S)
        schema["indexes"][name] = (table, bool(m.group(1)), norm_expr(m.group(3)),
                                   norm_expr(m.group(5)))
    schema["triggers"] = {r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return schema


def psql(args, query):
    out = subprocess.run(["psql", "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"] + args +
                         ["-c", query], check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def pg_schema(args):
    schema = {"tables": {}, "indexes": {}, "triggers": set()}
    ns = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
    tables = [r[0] for r in psql(args, f"SELECT relname FROM pg_class WHERE relnamespace = {ns}"
                                       " AND relkind = 'r' ORDER BY relname")]
    for table in tables:
        if table == "schema_migrations":
            continue
        cols = []
        pk_cols = {r[0] for r in psql(args, f"""
            SELECT a.attname FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.conrelid = '{table}'::regclass AND c.contype = 'p'""")}
        for name, declared, notnull, default in psql(args, f"""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       COALESCE(pg_get_expr(d.adbin, d.adrelid), '\\N')
                FROM pg_attribute a LEFT JOIN pg_attrdef d
                  ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = '{table}'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum"""):
            cols.append((name, type_family(declared), notnull == "t",
                         None if default == "\\N" else norm_default(default), name in pk_cols))
        uniques = set()
        fks = set()
        checks = set()
        for kind, definition, columns in psql(args, f"""
                SELECT c.contype, pg_get_constraintdef(c.oid),
                       (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
                        FROM unnest(c.conkey) WITH ORDINALITY AS k(num, ord)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num)
                FROM pg_constraint c WHERE c.conrelid = '{table}'::regclass"""):
            if kind == "u":
                uniques.add(tuple(columns.split(",")))
            elif kind == "f":
                m = re.match(r"FOREIGN KEY \((\w+)\) REFERENCES (\w+)\((\w+)\)", definition)
                fks.add((m.group(1), m.group(2), m.group(3)))
            elif kind == "c":
                checks.update(columns.split(","))
        schema["tables"][table] = {"columns": cols, "uniques": uniques, "fks": fks,
                                   "checks": checks}
    for name, table, definition, constraint in psql(args, f"""
            SELECT i.relname, t.relname, pg_get_indexdef(i.oid),
                   EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relnamespace = {ns} AND t.relname <> 'schema_migrations'"""):
        if constraint == "t":
            continue  # a primary key or UNIQUE constraint: compared above
        m = re.match(r"CREATE (UNIQUE )?INDEX \w+ ON [\w.]+ USING btree \((.*?)\)(?: WHERE (.*))?$",
                     definition)
        schema["indexes"][name] = (table, bool(m.group(1)), norm_expr(m.group(2)),
                                   norm_expr(m.group(3)))
    schema["triggers"] = {r[0] for r in psql(args, f"""
        SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = {ns} AND NOT t.tgisinternal""")}
    return schema


def main():
    lite = sqlite_schema()
    pg = pg_schema(sys.argv[1:])
    differences = []

    def differ(what):
        differences.append(what)

    for table in sorted(set(lite["tables"]) | set(pg["tables"])):
        if table not in pg["tables"]:
            differ(f"table {table}: only in SQLite")
            continue
        if table not in lite["tables"]:
            differ(f"table {table}: only in PostgreSQL")
            continue
        a, b = lite["tables"][table], pg["tables"][table]
        if [c[0] for c in a["columns"]] != [c[0] for c in b["columns"]]:
            differ(f"table {table}: columns {[c[0] for c in a['columns']]} in SQLite, "
                   f"{[c[0] for c in b['columns']]} in PostgreSQL")
        for ca, cb in zip(a["columns"], b["columns"]):
            if ca[0] != cb[0]:
                continue
            for i, what in ((1, "type"), (2, "NOT NULL"), (3, "default"), (4, "primary key")):
                # An identity column has no default in pg_attrdef, as a rowid has none.
                if ca[i] != cb[i]:
                    differ(f"{table}.{ca[0]}: {what} {ca[i]!r} in SQLite, {cb[i]!r} in PostgreSQL")
        for key in ("uniques", "fks", "checks"):
            if a[key] != b[key]:
                differ(f"table {table}: {key} {sorted(a[key])} in SQLite, "
                       f"{sorted(b[key])} in PostgreSQL")
    for name in sorted(set(lite["indexes"]) | set(pg["indexes"])):
        a, b = lite["indexes"].get(name), pg["indexes"].get(name)
        if a != b:
            differ(f"index {name}: {a} in SQLite, {b} in PostgreSQL")
    only_lite = lite["triggers"] - pg["triggers"]
    only_pg = pg["triggers"] - lite["triggers"] - PG_ONLY_TRIGGERS
    for name in sorted(only_lite):
        differ(f"trigger {name}: only in SQLite")
    for name in sorted(only_pg):
        differ(f"trigger {name}: only in PostgreSQL")

    for line in differences:
        print(line)
    counts = (len(lite["tables"]), len(lite["indexes"]), len(lite["triggers"]))
    if differences:
        print(f"{len(differences)} difference(s)")
        return 1
    print("the same: %d tables, %d indexes, %d triggers (PostgreSQL adds %d TRUNCATE guards)"
          % (counts + (len(PG_ONLY_TRIGGERS),)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
