CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_name_unique" UNIQUE("name"),
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "areas" (
	"code" text PRIMARY KEY NOT NULL,
	"label_sv" text NOT NULL,
	"label_en" text NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "counties" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"short_name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_changes" (
	"version" bigint NOT NULL,
	"resource_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dataset_changes_version_resource_id_pk" PRIMARY KEY("version","resource_id")
);
--> statement-breakpoint
CREATE TABLE "dataset_version" (
	"id" smallint PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	CONSTRAINT "dataset_version_single_row" CHECK ("dataset_version"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "inventories" (
	"id" serial PRIMARY KEY NOT NULL,
	"county_code" text NOT NULL,
	"completed_on" date NOT NULL,
	"completeness" text DEFAULT 'selection' NOT NULL,
	"source_title" text NOT NULL,
	"source_url" text,
	"note" text,
	"not_assessed" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "inventories_county_completed_unique" UNIQUE("county_code","completed_on"),
	CONSTRAINT "inventories_completeness_check" CHECK ("inventories"."completeness" IN ('complete', 'selection'))
);
--> statement-breakpoint
CREATE TABLE "kinds" (
	"code" text PRIMARY KEY NOT NULL,
	"label_sv" text NOT NULL,
	"label_en" text NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "municipalities" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"official_name" text NOT NULL,
	"county_code" text NOT NULL,
	"subregion_code" text,
	"seat" geometry(Point,4326) NOT NULL,
	"population_2016" integer NOT NULL,
	"boundary" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"organisation_number" text,
	CONSTRAINT "organizations_name_type_unique" UNIQUE("name","type"),
	CONSTRAINT "organizations_type_check" CHECK ("organizations"."type" IN ('kommun', 'region', 'ideell', 'stat', 'privat'))
);
--> statement-breakpoint
CREATE TABLE "resource_cells" (
	"resource_id" text NOT NULL,
	"area" text NOT NULL,
	"role" text NOT NULL,
	"group" text NOT NULL,
	CONSTRAINT "resource_cells_resource_id_area_role_group_pk" PRIMARY KEY("resource_id","area","role","group")
);
--> statement-breakpoint
CREATE TABLE "resource_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"resource_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"token_name" text,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	CONSTRAINT "resource_history_action_check" CHECK ("resource_history"."action" IN ('create', 'update', 'retire', 'verify'))
);
--> statement-breakpoint
CREATE TABLE "resource_locations" (
	"id" serial PRIMARY KEY NOT NULL,
	"resource_id" text NOT NULL,
	"position" integer NOT NULL,
	"visibility" text NOT NULL,
	"municipality_code" text NOT NULL,
	"street" text,
	"postal_code" text,
	"city" text,
	"point" geometry(Point,4326),
	CONSTRAINT "resource_locations_confidential_check" CHECK ("resource_locations"."visibility" = 'public' OR ("resource_locations"."street" IS NULL AND "resource_locations"."postal_code" IS NULL AND "resource_locations"."city" IS NULL AND "resource_locations"."point" IS NULL)),
	CONSTRAINT "resource_locations_visibility_check" CHECK ("resource_locations"."visibility" IN ('public', 'confidential'))
);
--> statement-breakpoint
CREATE TABLE "resource_municipalities" (
	"resource_id" text NOT NULL,
	"municipality_code" text NOT NULL,
	CONSTRAINT "resource_municipalities_resource_id_municipality_code_pk" PRIMARY KEY("resource_id","municipality_code")
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"organization_id" integer NOT NULL,
	"description_sv" text NOT NULL,
	"description_en" text,
	"status" text NOT NULL,
	"active_from" date,
	"active_until" date,
	"for_individuals" boolean NOT NULL,
	"for_professionals" boolean NOT NULL,
	"national" boolean NOT NULL,
	"phone" text,
	"email" text,
	"website" text,
	"chat" text,
	"open_24h" boolean NOT NULL,
	"hours" text,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"anonymous" boolean,
	"without_referral" boolean,
	"free_of_charge" boolean,
	"age_min" integer,
	"age_max" integer,
	"accessibility" text,
	"special_competence" text,
	"note" text,
	"source_title" text NOT NULL,
	"source_url" text,
	"source_seen" date,
	"sources" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_verified" date NOT NULL,
	"content_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "resources_audience_check" CHECK ("resources"."for_individuals" OR "resources"."for_professionals"),
	CONSTRAINT "resources_status_check" CHECK ("resources"."status" IN ('active', 'planned', 'inactive', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"code" text PRIMARY KEY NOT NULL,
	"label_sv" text NOT NULL,
	"label_en" text NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subregions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"county_code" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "target_groups" (
	"code" text PRIMARY KEY NOT NULL,
	"label_sv" text NOT NULL,
	"label_en" text NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inventories" ADD CONSTRAINT "inventories_county_code_counties_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."counties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "municipalities" ADD CONSTRAINT "municipalities_county_code_counties_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."counties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "municipalities" ADD CONSTRAINT "municipalities_subregion_code_subregions_code_fk" FOREIGN KEY ("subregion_code") REFERENCES "public"."subregions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_cells" ADD CONSTRAINT "resource_cells_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_cells" ADD CONSTRAINT "resource_cells_area_areas_code_fk" FOREIGN KEY ("area") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_cells" ADD CONSTRAINT "resource_cells_role_roles_code_fk" FOREIGN KEY ("role") REFERENCES "public"."roles"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_cells" ADD CONSTRAINT "resource_cells_group_target_groups_code_fk" FOREIGN KEY ("group") REFERENCES "public"."target_groups"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_history" ADD CONSTRAINT "resource_history_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_locations" ADD CONSTRAINT "resource_locations_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_locations" ADD CONSTRAINT "resource_locations_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_municipalities" ADD CONSTRAINT "resource_municipalities_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_municipalities" ADD CONSTRAINT "resource_municipalities_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_kind_kinds_code_fk" FOREIGN KEY ("kind") REFERENCES "public"."kinds"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subregions" ADD CONSTRAINT "subregions_county_code_counties_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."counties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "municipalities_county_idx" ON "municipalities" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "municipalities_subregion_idx" ON "municipalities" USING btree ("subregion_code");--> statement-breakpoint
CREATE INDEX "resource_cells_cell_idx" ON "resource_cells" USING btree ("area","role","group");--> statement-breakpoint
CREATE INDEX "resource_history_resource_idx" ON "resource_history" USING btree ("resource_id","id");--> statement-breakpoint
CREATE INDEX "resource_locations_resource_idx" ON "resource_locations" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "resource_locations_point_idx" ON "resource_locations" USING gist ("point");--> statement-breakpoint
CREATE INDEX "resource_municipalities_municipality_idx" ON "resource_municipalities" USING btree ("municipality_code");--> statement-breakpoint
CREATE INDEX "resources_kind_idx" ON "resources" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "resources_status_idx" ON "resources" USING btree ("status");--> statement-breakpoint
CREATE INDEX "resources_organization_idx" ON "resources" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "resources_national_idx" ON "resources" USING btree ("national");--> statement-breakpoint
CREATE INDEX "resources_name_idx" ON "resources" USING btree ("name","id");