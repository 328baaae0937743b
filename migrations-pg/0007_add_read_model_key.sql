CREATE TABLE "read_model_key" (
	"id" smallint PRIMARY KEY NOT NULL,
	"key" "bytea" NOT NULL,
	CONSTRAINT "read_model_key_single_row" CHECK ("read_model_key"."id" = 1)
);
