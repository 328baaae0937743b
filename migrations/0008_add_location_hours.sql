PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_resource_locations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`resource_id` text NOT NULL,
	`position` integer NOT NULL,
	`visibility` text NOT NULL,
	`municipality_code` text NOT NULL,
	`street` text,
	`postal_code` text,
	`city` text,
	`lat` real,
	`lon` real,
	`opening_hours` text,
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`municipality_code`) REFERENCES `municipalities`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "resource_locations_confidential_check" CHECK("__new_resource_locations"."visibility" = 'public' OR ("__new_resource_locations"."street" IS NULL AND "__new_resource_locations"."postal_code" IS NULL AND "__new_resource_locations"."city" IS NULL AND "__new_resource_locations"."lat" IS NULL AND "__new_resource_locations"."lon" IS NULL AND "__new_resource_locations"."opening_hours" IS NULL)),
	CONSTRAINT "resource_locations_coordinates_check" CHECK(("__new_resource_locations"."lat" IS NULL) = ("__new_resource_locations"."lon" IS NULL))
);
--> statement-breakpoint
INSERT INTO `__new_resource_locations`("id", "resource_id", "position", "visibility", "municipality_code", "street", "postal_code", "city", "lat", "lon") SELECT "id", "resource_id", "position", "visibility", "municipality_code", "street", "postal_code", "city", "lat", "lon" FROM `resource_locations`;--> statement-breakpoint
DROP TABLE `resource_locations`;--> statement-breakpoint
ALTER TABLE `__new_resource_locations` RENAME TO `resource_locations`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `resource_locations_resource_idx` ON `resource_locations` (`resource_id`);--> statement-breakpoint
-- Dropping the old table dropped its triggers. The dataset version (0003) must still move on every write to a
-- location, so its three triggers are created again as they were.
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
--> statement-breakpoint
-- The SQL spatial index of 0001 kept by the other three dropped triggers: nothing has read it since nearby search
-- moved to the in-memory read model, so it goes instead of being kept up to date for nobody.
DROP TABLE `location_points`;
