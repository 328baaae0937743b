-- The dataset's version and what each version wrote, kept by triggers whatever path a write takes (API,
-- import, seed, plain SQL), and a notification to every replica when a writing transaction commits.
-- Hand-written (`drizzle-kit generate --custom`); the two tables are declared in src/db/postgres/schema.ts.
--
-- The first write of a transaction raises dataset_version once and remembers the new version for the rest
-- of the transaction (a transaction-local setting); every written row records its resource id under that
-- version in dataset_changes. The row of dataset_version stays locked until the writer commits, so versions
-- become visible in order. pg_notify is transactional: the notice goes out at commit, never for a rollback.
INSERT INTO "dataset_version" ("id", "version") VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION stodkartan_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	current_version bigint := nullif(current_setting('stodkartan.transaction_version', true), '')::bigint;
	row_data jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
BEGIN
	IF current_version IS NULL THEN
		UPDATE dataset_version SET version = version + 1 WHERE id = 1 RETURNING version INTO current_version;
		PERFORM set_config('stodkartan.transaction_version', current_version::text, true);
		PERFORM pg_notify('stodkartan_dataset', current_version::text);
	END IF;
	INSERT INTO dataset_changes (version, resource_id)
	VALUES (current_version, row_data ->> TG_ARGV[0])
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER dataset_version_resources AFTER INSERT OR UPDATE OR DELETE ON resources
FOR EACH ROW EXECUTE FUNCTION stodkartan_record_change('id');
--> statement-breakpoint
CREATE TRIGGER dataset_version_resource_cells AFTER INSERT OR UPDATE OR DELETE ON resource_cells
FOR EACH ROW EXECUTE FUNCTION stodkartan_record_change('resource_id');
--> statement-breakpoint
CREATE TRIGGER dataset_version_resource_municipalities AFTER INSERT OR UPDATE OR DELETE ON resource_municipalities
FOR EACH ROW EXECUTE FUNCTION stodkartan_record_change('resource_id');
--> statement-breakpoint
CREATE TRIGGER dataset_version_resource_locations AFTER INSERT OR UPDATE OR DELETE ON resource_locations
FOR EACH ROW EXECUTE FUNCTION stodkartan_record_change('resource_id');
