ALTER TABLE `inventories` ADD `completeness` text DEFAULT 'selection' NOT NULL;--> statement-breakpoint
ALTER TABLE `inventories` ADD `note` text;--> statement-breakpoint
ALTER TABLE `inventories` ADD `not_assessed` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `resources` ADD `source_seen` text;--> statement-breakpoint
ALTER TABLE `resources` ADD `sources` text DEFAULT '[]' NOT NULL;