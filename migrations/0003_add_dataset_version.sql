-- The dataset's version: one row, raised by triggers on every insert, update and delete of resources and
-- their cells, service areas and locations, whatever path the write takes (API, import, seed, plain SQL).
-- Caches (the coverage index) and ETags compare it instead of rereading the data. Hand-written
-- (`drizzle-kit generate --custom`); the table is also declared in src/db/schema.ts, and this migration's
-- snapshot includes it, so that `drizzle-kit generate` finds nothing to add.
CREATE TABLE `dataset_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	CONSTRAINT "dataset_version_single_row" CHECK("dataset_version"."id" = 1)
);
--> statement-breakpoint
INSERT INTO `dataset_version` (`id`, `version`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resources_insert` AFTER INSERT ON `resources` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resources_update` AFTER UPDATE ON `resources` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resources_delete` AFTER DELETE ON `resources` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resource_cells_insert` AFTER INSERT ON `resource_cells` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resource_cells_update` AFTER UPDATE ON `resource_cells` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resource_cells_delete` AFTER DELETE ON `resource_cells` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resource_municipalities_insert` AFTER INSERT ON `resource_municipalities` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resource_municipalities_update` AFTER UPDATE ON `resource_municipalities` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resource_municipalities_delete` AFTER DELETE ON `resource_municipalities` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resource_locations_insert` AFTER INSERT ON `resource_locations` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resource_locations_update` AFTER UPDATE ON `resource_locations` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `dataset_version_resource_locations_delete` AFTER DELETE ON `resource_locations` BEGIN
	UPDATE dataset_version SET version = version + 1 WHERE id = 1;
END;
