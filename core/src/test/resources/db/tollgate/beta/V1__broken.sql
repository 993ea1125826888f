CREATE SCHEMA IF NOT EXISTS beta;
CREATE TABLE beta.half (id int);
SELECT this_is_not_valid_sql(;
