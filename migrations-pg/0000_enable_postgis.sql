-- PostGIS holds the points of locations and municipality seats (geometry(Point,4326)). Creating the extension
-- needs a superuser (or, on a managed service, its administrator role); where it exists already this is a
-- no-op, so an operator may create it once by hand and run the migrations as the application's own role.
CREATE EXTENSION IF NOT EXISTS postgis;
