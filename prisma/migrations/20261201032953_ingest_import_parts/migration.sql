-- CreateTable
CREATE TABLE "ingest_import_parts" (
    "import_id" TEXT NOT NULL,
    "part" INTEGER NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "ingest_import_parts_pkey" PRIMARY KEY ("import_id","part")
);

-- AddForeignKey
ALTER TABLE "ingest_import_parts" ADD CONSTRAINT "ingest_import_parts_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "ingest_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
