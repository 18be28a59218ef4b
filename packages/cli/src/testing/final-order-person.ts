import type { RowIngestor } from "@passage/engine";

/**
 * Test support: Lucia Moreno, admitted on a B2 visa, then ordered removed in absentia (a final
 * order, actionable): her admission `admission:12345678901` and court decision `court:CE-1`.
 */
export async function ingestFinalOrderPerson(ingestor: RowIngestor): Promise<void> {
  const identity = {
    family_name: "Moreno",
    given_names: "Lucia",
    date_of_birth: "1990-03-04",
    a_number: "A012345678",
  };
  await ingestor.ingest("admission", {
    ...identity,
    i94_number: "12345678901",
    class_of_admission: "B2",
    admission_date: "2024-01-10",
    admit_until: "2024-07-09",
  });
  await ingestor.ingest("court", {
    ...identity,
    court_event_id: "CE-1",
    case_id: "C-1",
    case_type: "RMV",
    event_type: "decision",
    event_date: "2025-02-03",
    outcome: "removal_ordered",
    in_absentia: "Y",
    notice_served: "Y",
    destination_country: "MEX",
  });
}
