import { LiveNote } from '@/components/live-note';
import { Section } from '@/components/section';
import { SensorsTable } from '@/features/sensors/components/sensors-table';

export function SensorsRoute() {
  return (
    <>
      <div className="page-header">
        <h1>Sensors</h1>
      </div>
      <Section title="Import reports from the ingestion API" actions={<LiveNote />}>
        <SensorsTable />
      </Section>
    </>
  );
}
