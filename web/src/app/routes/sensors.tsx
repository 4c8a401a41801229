import { Section } from '@/components/section';
import { SensorsTable } from '@/features/sensors/components/sensors-table';

export function SensorsRoute() {
  return (
    <>
      <div className="page-header">
        <h1>Sensors</h1>
      </div>
      <Section
        title="Import reports from the ingestion API"
        actions={<span className="muted live">refreshing every 2 s</span>}
      >
        <SensorsTable />
      </Section>
    </>
  );
}
