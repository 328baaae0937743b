CREATE TABLE `areas` (
	`code` text PRIMARY KEY NOT NULL,
	`label_sv` text NOT NULL,
	`label_en` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `counties` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`short_name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inventories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`county_code` text NOT NULL,
	`completed_on` text NOT NULL,
	`source_title` text NOT NULL,
	`source_url` text,
	FOREIGN KEY (`county_code`) REFERENCES `counties`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inventories_county_completed_unique` ON `inventories` (`county_code`,`completed_on`);--> statement-breakpoint
CREATE TABLE `kinds` (
	`code` text PRIMARY KEY NOT NULL,
	`label_sv` text NOT NULL,
	`label_en` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `municipalities` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`official_name` text NOT NULL,
	`county_code` text NOT NULL,
	`subregion_code` text,
	`seat_lat` real NOT NULL,
	`seat_lon` real NOT NULL,
	`population_2016` integer NOT NULL,
	`boundary` text NOT NULL,
	FOREIGN KEY (`county_code`) REFERENCES `counties`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subregion_code`) REFERENCES `subregions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `municipalities_county_idx` ON `municipalities` (`county_code`);--> statement-breakpoint
CREATE INDEX `municipalities_subregion_idx` ON `municipalities` (`subregion_code`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`organisation_number` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_name_type_unique` ON `organizations` (`name`,`type`);--> statement-breakpoint
CREATE TABLE `resource_cells` (
	`resource_id` text NOT NULL,
	`area` text NOT NULL,
	`role` text NOT NULL,
	`group` text NOT NULL,
	PRIMARY KEY(`resource_id`, `area`, `role`, `group`),
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`area`) REFERENCES `areas`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`role`) REFERENCES `roles`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group`) REFERENCES `target_groups`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `resource_cells_cell_idx` ON `resource_cells` (`area`,`role`,`group`);--> statement-breakpoint
CREATE TABLE `resource_locations` (
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
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`municipality_code`) REFERENCES `municipalities`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "resource_locations_confidential_check" CHECK("resource_locations"."visibility" = 'public' OR ("resource_locations"."street" IS NULL AND "resource_locations"."postal_code" IS NULL AND "resource_locations"."city" IS NULL AND "resource_locations"."lat" IS NULL AND "resource_locations"."lon" IS NULL)),
	CONSTRAINT "resource_locations_coordinates_check" CHECK(("resource_locations"."lat" IS NULL) = ("resource_locations"."lon" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `resource_locations_resource_idx` ON `resource_locations` (`resource_id`);--> statement-breakpoint
CREATE TABLE `resource_municipalities` (
	`resource_id` text NOT NULL,
	`municipality_code` text NOT NULL,
	PRIMARY KEY(`resource_id`, `municipality_code`),
	FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`municipality_code`) REFERENCES `municipalities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `resource_municipalities_municipality_idx` ON `resource_municipalities` (`municipality_code`);--> statement-breakpoint
CREATE TABLE `resources` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`organization_id` integer NOT NULL,
	`description_sv` text NOT NULL,
	`description_en` text,
	`status` text NOT NULL,
	`active_from` text,
	`active_until` text,
	`for_individuals` integer NOT NULL,
	`for_professionals` integer NOT NULL,
	`national` integer NOT NULL,
	`phone` text,
	`email` text,
	`website` text,
	`chat` text,
	`open_24h` integer NOT NULL,
	`hours` text,
	`languages` text DEFAULT '[]' NOT NULL,
	`anonymous` integer,
	`without_referral` integer,
	`free_of_charge` integer,
	`age_min` integer,
	`age_max` integer,
	`accessibility` text,
	`special_competence` text,
	`note` text,
	`source_title` text NOT NULL,
	`source_url` text,
	`last_verified` text NOT NULL,
	`content_hash` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`kind`) REFERENCES `kinds`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "resources_audience_check" CHECK("resources"."for_individuals" = 1 OR "resources"."for_professionals" = 1)
);
--> statement-breakpoint
CREATE INDEX `resources_kind_idx` ON `resources` (`kind`);--> statement-breakpoint
CREATE INDEX `resources_status_idx` ON `resources` (`status`);--> statement-breakpoint
CREATE INDEX `resources_organization_idx` ON `resources` (`organization_id`);--> statement-breakpoint
CREATE TABLE `roles` (
	`code` text PRIMARY KEY NOT NULL,
	`label_sv` text NOT NULL,
	`label_en` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subregions` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`county_code` text NOT NULL,
	FOREIGN KEY (`county_code`) REFERENCES `counties`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `target_groups` (
	`code` text PRIMARY KEY NOT NULL,
	`label_sv` text NOT NULL,
	`label_en` text NOT NULL,
	`position` integer NOT NULL
);
