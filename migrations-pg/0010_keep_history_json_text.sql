ALTER TABLE "resource_history" ALTER COLUMN "before" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "resource_history" ALTER COLUMN "after" SET DATA TYPE json;