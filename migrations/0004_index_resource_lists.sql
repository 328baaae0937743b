CREATE INDEX `resources_national_idx` ON `resources` (`national`);--> statement-breakpoint
CREATE INDEX `resources_name_idx` ON `resources` (`name`,`id`);