ALTER TABLE "resource_locations" ALTER COLUMN "opening_hours" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "resources" ALTER COLUMN "opening_hours" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "resources" ALTER COLUMN "sources" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "resources" ALTER COLUMN "sources" SET DEFAULT '[]'::json;