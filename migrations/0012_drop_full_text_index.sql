-- The FTS5 index of resources has had no reader since text search moved to the read model (the staff
-- worklist never searches text), yet its triggers indexed every resource written: at 30 000 resources they
-- made an import's last 5 000 entries take three times as long. Dropped with its triggers; hand-written
-- (`drizzle-kit generate --custom`), since the virtual table was never declared in src/db/schema.ts.
DROP TRIGGER IF EXISTS `resources_fts_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `resources_fts_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `resources_fts_delete`;
--> statement-breakpoint
DROP TABLE IF EXISTS `resources_fts`;
