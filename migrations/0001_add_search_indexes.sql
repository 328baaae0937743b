-- Full-text search over name, description and organisation, folding case and diacritics (vald finds
-- våld, malmo finds Malmö). Kept in step with resources by triggers, whatever path a write takes.
CREATE VIRTUAL TABLE `resources_fts` USING fts5(
	resource_id UNINDEXED, name, description, organization,
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `resources_fts_insert` AFTER INSERT ON `resources` BEGIN
	INSERT INTO resources_fts (resource_id, name, description, organization)
	SELECT NEW.id, NEW.name, NEW.description_sv || ' ' || coalesce(NEW.description_en, ''), o.name
	FROM organizations o WHERE o.id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER `resources_fts_update` AFTER UPDATE OF name, description_sv, description_en, organization_id ON `resources` BEGIN
	DELETE FROM resources_fts WHERE resource_id = OLD.id;
	INSERT INTO resources_fts (resource_id, name, description, organization)
	SELECT NEW.id, NEW.name, NEW.description_sv || ' ' || coalesce(NEW.description_en, ''), o.name
	FROM organizations o WHERE o.id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER `resources_fts_delete` AFTER DELETE ON `resources` BEGIN
	DELETE FROM resources_fts WHERE resource_id = OLD.id;
END;
--> statement-breakpoint
-- The spatial index of locations for nearby search. A location without coordinates (every confidential
-- one) is indexed at its municipality's seat, which is public; its own coordinates are never stored.
CREATE VIRTUAL TABLE `location_points` USING rtree(id, min_lat, max_lat, min_lon, max_lon);
--> statement-breakpoint
CREATE TRIGGER `location_points_insert` AFTER INSERT ON `resource_locations` BEGIN
	INSERT INTO location_points (id, min_lat, max_lat, min_lon, max_lon)
	SELECT NEW.id, coalesce(NEW.lat, m.seat_lat), coalesce(NEW.lat, m.seat_lat),
		coalesce(NEW.lon, m.seat_lon), coalesce(NEW.lon, m.seat_lon)
	FROM municipalities m WHERE m.code = NEW.municipality_code;
END;
--> statement-breakpoint
CREATE TRIGGER `location_points_update` AFTER UPDATE ON `resource_locations` BEGIN
	DELETE FROM location_points WHERE id = OLD.id;
	INSERT INTO location_points (id, min_lat, max_lat, min_lon, max_lon)
	SELECT NEW.id, coalesce(NEW.lat, m.seat_lat), coalesce(NEW.lat, m.seat_lat),
		coalesce(NEW.lon, m.seat_lon), coalesce(NEW.lon, m.seat_lon)
	FROM municipalities m WHERE m.code = NEW.municipality_code;
END;
--> statement-breakpoint
CREATE TRIGGER `location_points_delete` AFTER DELETE ON `resource_locations` BEGIN
	DELETE FROM location_points WHERE id = OLD.id;
END;
--> statement-breakpoint
-- Resources that exist before this migration get their index rows too.
INSERT INTO resources_fts (resource_id, name, description, organization)
SELECT r.id, r.name, r.description_sv || ' ' || coalesce(r.description_en, ''), o.name
FROM resources r JOIN organizations o ON o.id = r.organization_id;
--> statement-breakpoint
INSERT INTO location_points (id, min_lat, max_lat, min_lon, max_lon)
SELECT l.id, coalesce(l.lat, m.seat_lat), coalesce(l.lat, m.seat_lat), coalesce(l.lon, m.seat_lon), coalesce(l.lon, m.seat_lon)
FROM resource_locations l JOIN municipalities m ON m.code = l.municipality_code;
