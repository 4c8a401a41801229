-- CreateEnum
CREATE TYPE "RolloutState" AS ENUM ('awaiting_approval', 'planned', 'running', 'paused', 'halted', 'reverting', 'reverted', 'completed', 'aborted');

-- CreateEnum
CREATE TYPE "RolloutPhase" AS ENUM ('applying', 'baking');

-- CreateEnum
CREATE TYPE "TargetStatus" AS ENUM ('pending', 'applied', 'skipped_changed', 'reverted', 'revert_conflict');

-- DropIndex
DROP INDEX "sites_pinned_version_idx";

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "rollout_id" INTEGER,
ADD COLUMN     "token" TEXT;

-- AlterTable
ALTER TABLE "import_reports" ADD COLUMN     "errors" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "flagged" TEXT;

-- AlterTable
ALTER TABLE "pin_events" ADD COLUMN     "rollout_id" INTEGER;

-- CreateTable
CREATE TABLE "cohorts" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "selector" TEXT,
    "site_keys" TEXT[],
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cohorts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollouts" (
    "id" SERIAL NOT NULL,
    "target_version" TEXT NOT NULL,
    "cohort_id" INTEGER,
    "selector" TEXT,
    "site_keys" TEXT[],
    "description" TEXT NOT NULL DEFAULT '',
    "state" "RolloutState" NOT NULL,
    "stages" JSONB NOT NULL,
    "bake" JSONB NOT NULL,
    "check_policy" JSONB NOT NULL,
    "revert_policy" JSONB NOT NULL,
    "current_stage" INTEGER NOT NULL DEFAULT -1,
    "phase" "RolloutPhase",
    "stage_started_at" TIMESTAMP(3),
    "target_count" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "summary" JSONB NOT NULL DEFAULT '{}',
    "approval_required" BOOLEAN NOT NULL,
    "created_by" TEXT NOT NULL,
    "approved_by" TEXT,
    "started_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "started_at" TIMESTAMP(3),
    "ended_at" TIMESTAMP(3),
    "end_reason" TEXT,
    "analyzed_up_to" TIMESTAMP(3),

    CONSTRAINT "rollouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_targets" (
    "rollout_id" INTEGER NOT NULL,
    "site_key" TEXT NOT NULL,
    "from_version" TEXT NOT NULL,
    "stage" INTEGER NOT NULL,
    "status" "TargetStatus" NOT NULL DEFAULT 'pending',
    "applied_at" TIMESTAMP(3),
    "reverted_at" TIMESTAMP(3),
    "found_version" TEXT,

    CONSTRAINT "rollout_targets_pkey" PRIMARY KEY ("rollout_id","site_key")
);

-- CreateTable
CREATE TABLE "verdicts" (
    "rollout_id" INTEGER NOT NULL,
    "stage" INTEGER NOT NULL,
    "site_key" TEXT NOT NULL,
    "check" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "required" BOOLEAN NOT NULL,
    "message" TEXT NOT NULL,
    "numbers" JSONB NOT NULL,
    "evaluated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "verdicts_pkey" PRIMARY KEY ("rollout_id","stage","site_key","check")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" BIGSERIAL NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMP(3),
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "site_rollout_locks" (
    "site_key" TEXT NOT NULL,
    "rollout_id" INTEGER NOT NULL,

    CONSTRAINT "site_rollout_locks_pkey" PRIMARY KEY ("site_key")
);

-- CreateTable
CREATE TABLE "freeze_windows" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "freeze_windows_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "cohorts_name_key" ON "cohorts"("name");

-- CreateIndex
CREATE INDEX "rollouts_state_idx" ON "rollouts"("state");

-- CreateIndex
CREATE INDEX "rollout_targets_rollout_id_stage_idx" ON "rollout_targets"("rollout_id", "stage");

-- CreateIndex
CREATE INDEX "verdicts_rollout_id_stage_outcome_idx" ON "verdicts"("rollout_id", "stage", "outcome");

-- CreateIndex
CREATE INDEX "notifications_delivered_at_next_attempt_at_idx" ON "notifications"("delivered_at", "next_attempt_at");

-- CreateIndex
CREATE INDEX "site_rollout_locks_rollout_id_idx" ON "site_rollout_locks"("rollout_id");

-- CreateIndex
CREATE INDEX "freeze_windows_ends_at_idx" ON "freeze_windows"("ends_at");

-- CreateIndex
CREATE INDEX "audit_events_rollout_id_id_idx" ON "audit_events"("rollout_id", "id");

-- CreateIndex
CREATE INDEX "import_reports_received_at_idx" ON "import_reports"("received_at");

-- CreateIndex
CREATE INDEX "pin_events_rollout_id_idx" ON "pin_events"("rollout_id");

-- AddForeignKey
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_cohort_id_fkey" FOREIGN KEY ("cohort_id") REFERENCES "cohorts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_targets" ADD CONSTRAINT "rollout_targets_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollouts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Room in each page for the new version of a row, so pin changes and target status changes are
-- written in place (heap-only tuples) instead of into every index.
ALTER TABLE "sites" SET (fillfactor = 70);
ALTER TABLE "rollout_targets" SET (fillfactor = 70);

-- Pin events are append-only, like audit events.
CREATE FUNCTION pin_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'pin events are append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER pin_events_append_only
  BEFORE UPDATE OR DELETE ON "pin_events"
  FOR EACH ROW EXECUTE FUNCTION pin_events_append_only();
