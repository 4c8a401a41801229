-- CreateTable
CREATE TABLE "sensors" (
    "instance_id" TEXT NOT NULL,
    "lag_seconds" INTEGER NOT NULL,
    "unreported" INTEGER NOT NULL,
    "oldest_unreported_at" TIMESTAMP(3),
    "queued" INTEGER NOT NULL,
    "oldest_queued_at" TIMESTAMP(3),
    "last_delivered_at" TIMESTAMP(3),
    "heard_at" TIMESTAMP(3) NOT NULL,
    "first_heard_at" TIMESTAMP(3) NOT NULL,
    "stopped_at" TIMESTAMP(3),
    "announced" TEXT NOT NULL DEFAULT 'ok',

    CONSTRAINT "sensors_pkey" PRIMARY KEY ("instance_id")
);
