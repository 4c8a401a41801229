-- CreateEnum
CREATE TYPE "VersionStatus" AS ENUM ('active', 'deprecated', 'retired');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'operator', 'release', 'admin', 'client', 'ingest');

-- CreateTable
CREATE TABLE "fleet" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "default_version" TEXT,
    "revision" BIGINT NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "fleet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "versions" (
    "name" TEXT NOT NULL,
    "status" "VersionStatus" NOT NULL DEFAULT 'active',
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "versions_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "sites" (
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "pinned_version" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sites_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "pin_events" (
    "id" BIGSERIAL NOT NULL,
    "site_key" TEXT NOT NULL,
    "from_version" TEXT,
    "to_version" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "revision" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pin_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "client_instances" (
    "app_name" TEXT NOT NULL,
    "instance_id" TEXT NOT NULL,
    "sdk_version" TEXT,
    "last_revision" BIGINT,
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "client_instances_pkey" PRIMARY KEY ("app_name","instance_id")
);

-- CreateTable
CREATE TABLE "import_reports" (
    "import_id" TEXT NOT NULL,
    "site_key" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "pinned_version" TEXT NOT NULL,
    "received" INTEGER NOT NULL,
    "imported" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "completed_at" TIMESTAMP(3) NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_reports_pkey" PRIMARY KEY ("import_id")
);

-- CreateTable
CREATE TABLE "ingest_products" (
    "site_key" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "gtin" TEXT,
    "price" DECIMAL(12,2) NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "ingest_products_pkey" PRIMARY KEY ("site_key","sku")
);

-- CreateTable
CREATE TABLE "ingest_imports" (
    "id" TEXT NOT NULL,
    "site_key" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "received" INTEGER NOT NULL,
    "imported" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "rejections" JSONB NOT NULL DEFAULT '[]',
    "duration_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reported_at" TIMESTAMP(3),

    CONSTRAINT "ingest_imports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sites_pinned_version_idx" ON "sites"("pinned_version");

-- CreateIndex
CREATE INDEX "sites_labels_idx" ON "sites" USING GIN ("labels" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "pin_events_site_key_id_idx" ON "pin_events"("site_key", "id");

-- CreateIndex
CREATE INDEX "audit_events_subject_type_subject_id_id_idx" ON "audit_events"("subject_type", "subject_id", "id");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_idx" ON "audit_events"("actor", "id");

-- CreateIndex
CREATE INDEX "audit_events_created_at_idx" ON "audit_events"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_secret_hash_key" ON "api_tokens"("secret_hash");

-- CreateIndex
CREATE INDEX "import_reports_site_key_completed_at_idx" ON "import_reports"("site_key", "completed_at");

-- CreateIndex
CREATE INDEX "ingest_imports_site_key_created_at_idx" ON "ingest_imports"("site_key", "created_at");

-- AddForeignKey
ALTER TABLE "fleet" ADD CONSTRAINT "fleet_default_version_fkey" FOREIGN KEY ("default_version") REFERENCES "versions"("name") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sites" ADD CONSTRAINT "sites_pinned_version_fkey" FOREIGN KEY ("pinned_version") REFERENCES "versions"("name") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Audit events are append-only: the database itself refuses to change or remove one.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
