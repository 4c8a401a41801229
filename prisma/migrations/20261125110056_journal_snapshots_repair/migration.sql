-- DropIndex
DROP INDEX "ingest_imports_site_key_created_at_idx";

-- AlterTable
ALTER TABLE "ingest_imports" ADD COLUMN     "content_hash" TEXT,
ADD COLUMN     "content_type" TEXT NOT NULL DEFAULT 'application/json',
ADD COLUMN     "idempotency_key" TEXT,
ADD COLUMN     "payload" TEXT,
ADD COLUMN     "processed_at" TIMESTAMP(3),
ADD COLUMN     "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "seq" BIGSERIAL NOT NULL,
ADD COLUMN     "state" TEXT NOT NULL DEFAULT 'done',
ALTER COLUMN "version" DROP NOT NULL,
ALTER COLUMN "received" DROP NOT NULL,
ALTER COLUMN "imported" DROP NOT NULL,
ALTER COLUMN "rejected" DROP NOT NULL,
ALTER COLUMN "duration_ms" DROP NOT NULL;

-- CreateTable
CREATE TABLE "repairs" (
    "id" SERIAL NOT NULL,
    "rollout_id" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'running',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMP(3),

    CONSTRAINT "repairs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "repair_sites" (
    "repair_id" INTEGER NOT NULL,
    "site_key" TEXT NOT NULL,
    "bad_version" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "reason" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "resume_when_done" BOOLEAN NOT NULL,
    "claimed_by" TEXT,
    "lease_until" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "repair_sites_pkey" PRIMARY KEY ("repair_id","site_key")
);

-- CreateTable
CREATE TABLE "ingest_sites" (
    "site_key" TEXT NOT NULL,
    "last_seq" BIGINT,
    "last_version" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ingest_sites_pkey" PRIMARY KEY ("site_key")
);

-- CreateTable
CREATE TABLE "ingest_snapshots" (
    "id" BIGSERIAL NOT NULL,
    "site_key" TEXT NOT NULL,
    "after_seq" BIGINT NOT NULL,
    "version" TEXT,
    "products" JSONB NOT NULL,
    "count" INTEGER NOT NULL,
    "taken_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_exports" (
    "id" BIGSERIAL NOT NULL,
    "site_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "catalog_seq" BIGINT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMP(3),

    CONSTRAINT "ingest_exports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_repair_tasks" (
    "repair_id" INTEGER NOT NULL,
    "site_key" TEXT NOT NULL,
    "bad_version" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "reason" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMP(3) NOT NULL,
    "reported_state" TEXT,

    CONSTRAINT "ingest_repair_tasks_pkey" PRIMARY KEY ("repair_id","site_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "repairs_rollout_id_key" ON "repairs"("rollout_id");

-- CreateIndex
CREATE INDEX "repair_sites_state_lease_until_idx" ON "repair_sites"("state", "lease_until");

-- CreateIndex
CREATE INDEX "ingest_snapshots_site_key_after_seq_idx" ON "ingest_snapshots"("site_key", "after_seq");

-- CreateIndex
CREATE INDEX "ingest_exports_state_next_attempt_at_idx" ON "ingest_exports"("state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "ingest_exports_site_key_id_idx" ON "ingest_exports"("site_key", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_imports_seq_key" ON "ingest_imports"("seq");

-- CreateIndex
CREATE INDEX "ingest_imports_site_key_seq_idx" ON "ingest_imports"("site_key", "seq");

-- CreateIndex
CREATE INDEX "ingest_imports_state_seq_idx" ON "ingest_imports"("state", "seq");

-- CreateIndex
CREATE INDEX "ingest_imports_reported_at_idx" ON "ingest_imports"("reported_at");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_imports_site_key_idempotency_key_key" ON "ingest_imports"("site_key", "idempotency_key");

-- AddForeignKey
ALTER TABLE "repair_sites" ADD CONSTRAINT "repair_sites_repair_id_fkey" FOREIGN KEY ("repair_id") REFERENCES "repairs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
