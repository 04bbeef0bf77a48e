"""Tests against real PostgreSQL and Spark; a package so its conftest does not shadow the root one."""
