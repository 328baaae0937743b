CREATE TABLE `read_model_key` (
	`id` integer PRIMARY KEY NOT NULL,
	`key` blob NOT NULL,
	CONSTRAINT "read_model_key_single_row" CHECK("read_model_key"."id" = 1)
);
