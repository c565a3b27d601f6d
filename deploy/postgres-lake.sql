-- The DuckLake catalog's database, beside the Prefect server's (run once by the postgres image).
CREATE DATABASE lake OWNER newswatch;
