import fs from "node:fs";
import path from "node:path";
import type { DatabaseHandle } from "@passage/store";
import { ingestFile } from "../../ingest/ingest-file.ts";

/**
 * A hand-made table too small to train a model on (a departures review): 14 admission, court
 * and custody rows of persons whose records share A-number, name and date of birth, then 21
 * more (departures, a few admissions, court events and a booking), 35 in all. A model trained
 * on the first 14 auto-links nothing; one trained on all 35 links each person's records.
 */
export interface SmallTableFile {
  readonly feed: string;
  readonly csv: string;
}

export const SMALL_TABLE_FIRST: readonly SmallTableFile[] = [
  {
    feed: "admission",
    csv: [
      "i94_number,family_name,given_names,date_of_birth,sex,nationality,a_number,class_of_admission,admission_date,admit_until,port_of_entry",
      "20000000100,Overman,Ian,1980-01-01,M,GBR,A200000001,B2,2026-01-10,2026-07-09,JFK",
      "20000000200,Leftlate,Olga,1981-02-02,F,FRA,A200000002,B2,2026-01-10,2026-07-09,JFK",
      "20000000300,Selfer,Sam,1982-03-03,M,DEU,A200000003,B2,2026-05-01,2026-10-31,JFK",
      "20000000400,Removed,Rita,1983-04-04,F,MEX,A200000004,B2,2024-01-10,2024-07-09,LAX",
      "20000000500,Vdgrant,Victor,1984-05-05,M,PER,A200000005,B2,2024-01-10,2024-07-09,MIA",
      "20000000600,Absentia,Ana,1985-06-06,F,COL,A200000006,B2,2024-01-10,2024-07-09,MIA",
      "20000000900,Before,Bert,1988-09-09,M,ITA,A200000009,B2,2026-06-01,2026-12-31,JFK",
      "20000001000,Future,Fiona,1989-10-10,F,ESP,A200000010,B2,2026-06-01,2026-12-31,JFK",
      "20000001100,Latecor,Lars,1990-11-11,M,SWE,A200000011,B2,2026-01-01,2026-03-31,JFK",
      "20000000800,Dupe,Dora,1987-08-08,F,NLD,A200000008,B2,2026-08-01,2027-01-31,JFK",
    ].join("\n"),
  },
  {
    feed: "court",
    csv: [
      "court_event_id,family_name,given_names,date_of_birth,nationality,a_number,case_id,case_type,event_type,event_date,outcome,in_absentia,notice_served,deadline,destination_country,appeal_waived",
      "CE-4,Removed,Rita,1983-04-04,MEX,A200000004,C-4,RMV,decision,2026-06-01,removal_ordered,N,Y,,MEX,Y",
      "CE-5,Vdgrant,Victor,1984-05-05,PER,A200000005,C-5,RMV,decision,2026-09-01,vd_with_alternate_order,N,Y,2026-10-31,PER,",
      "CE-6,Absentia,Ana,1985-06-06,COL,A200000006,C-6,RMV,decision,2026-03-01,removal_ordered,Y,Y,,COL,",
    ].join("\n"),
  },
  {
    feed: "custody",
    csv: [
      "booking_id,family_name,given_names,date_of_birth,nationality,a_number,facility_code,event,event_date",
      "B-4,Removed,Rita,1983-04-04,MEX,A200000004,KRO,book_in,2026-07-01",
    ].join("\n"),
  },
];

export const SMALL_TABLE_LATER: readonly SmallTableFile[] = [
  {
    feed: "departure",
    csv: [
      "departure_id,family_name,given_names,date_of_birth,sex,nationality,a_number,departure_date,port,mode,evidence,reported_at",
      "D-2,Leftlate,Olga,1981-02-02,F,FRA,A200000002,2026-09-01,JFK,air,carrier_manifest,2026-09-01T12:00:00Z",
      "D-3S,Selfer,Sam,1982-03-03,M,DEU,A200000003,2026-11-20,,air,self_report,2026-11-20T08:00:00Z",
      "D-4,Removed,Rita,1983-04-04,F,MEX,A200000004,2026-08-01,LAX,air,removal_executed,2026-08-01T10:00:00Z",
      "D-5,Vdgrant,Victor,1984-05-05,M,PER,A200000005,2026-11-10,MIA,air,vd_verified,2026-11-10T10:00:00Z",
      "D-6S,Absentia,Ana,1985-06-06,F,COL,A200000006,2026-10-01,,air,self_report,2026-10-01T10:00:00Z",
      "D-7,Nobody,Known,1970-07-07,M,CAN,A200000007,2026-11-01,YYZ,land,land_exchange,2026-11-01T10:00:00Z",
      "D-8a,Dupe,Dora,1987-08-08,F,NLD,A200000008,2026-11-02,JFK,air,carrier_manifest,2026-11-02T10:00:00Z",
      "D-9,Before,Bert,1988-09-09,M,ITA,A200000009,2026-05-01,JFK,air,carrier_manifest,2026-05-01T10:00:00Z",
      "D-11S,Latecor,Lars,1990-11-11,M,SWE,A200000011,2026-05-01,,air,self_report,2026-05-01T10:00:00Z",
      "D-11V,Latecor,Lars,1990-11-11,M,SWE,A200000011,2026-06-20,JFK,air,carrier_manifest,2026-06-20T10:00:00Z",
      "D-3V,Selfer,Sam,1982-03-03,M,DEU,A200000003,2026-11-21,JFK,air,carrier_manifest,2026-11-24T14:15:20Z",
      "D-6V,Absentia,Ana,1985-06-06,F,COL,A200000006,2026-10-03,MIA,air,carrier_manifest,2026-11-24T14:15:20Z",
      "D-8b,Dupe,Dora,1987-08-08,F,NLD,A200000008,2026-11-02,JFK,air,carrier_manifest,2026-11-24T14:15:20Z",
      "D-12S,Vdlate,Vera,1991-12-12,F,ARG,A200000012,2026-11-10,,air,self_report,2026-11-10T10:00:00Z",
      "D-12V,Vdlate,Vera,1991-12-12,F,ARG,A200000012,2026-11-18,MIA,air,carrier_manifest,2026-11-24T14:25:42Z",
    ].join("\n"),
  },
  {
    feed: "admission",
    csv: [
      "i94_number,family_name,given_names,date_of_birth,sex,nationality,a_number,class_of_admission,admission_date,admit_until,port_of_entry",
      "20000001200,Vdlate,Vera,1991-12-12,F,ARG,A200000012,B2,2024-01-10,2024-07-09,MIA",
      "20000001300,Stayed,Stan,1992-01-13,M,HND,A200000013,B2,2024-01-10,2024-07-09,MIA",
    ].join("\n"),
  },
  {
    feed: "court",
    csv: [
      "court_event_id,family_name,given_names,date_of_birth,nationality,a_number,case_id,case_type,event_type,event_date,outcome,in_absentia,notice_served,deadline,destination_country,appeal_waived",
      "CE-12,Vdlate,Vera,1991-12-12,ARG,A200000012,C-12,RMV,decision,2026-09-15,vd_with_alternate_order,N,Y,2026-11-15,ARG,",
      "CE-13a,Stayed,Stan,1992-01-13,HND,A200000013,C-13,RMV,decision,2026-05-01,removal_ordered,N,Y,,HND,Y",
      "CE-13b,Stayed,Stan,1992-01-13,HND,A200000013,C-13,RMV,stay_granted,2026-10-01,,,,,,",
    ].join("\n"),
  },
  {
    feed: "custody",
    csv: [
      "booking_id,family_name,given_names,date_of_birth,nationality,a_number,facility_code,event,event_date",
      "B-13,Stayed,Stan,1992-01-13,HND,A200000013,KRO,book_in,2026-10-05",
    ].join("\n"),
  },
];

/** Writes `files` under `directory` (one CSV each); returns them as `passage ingest FEED FILE` takes them. */
export function writeSmallTable(
  directory: string,
  name: string,
  files: readonly SmallTableFile[],
): { feed: string; file: string }[] {
  return files.map(({ feed, csv }, index) => {
    const file = path.join(directory, `${name}-${index}-${feed}.csv`);
    fs.writeFileSync(file, `${csv}\n`);
    return { feed, file };
  });
}

/** Ingests `files` through the real ingest path; fails on a rejected row (the fixture has none). */
export async function ingestSmallTable(
  database: Pick<DatabaseHandle, "pool">,
  directory: string,
  name: string,
  files: readonly SmallTableFile[],
): Promise<void> {
  for (const { feed, file } of writeSmallTable(directory, name, files)) {
    const report = await ingestFile({ pool: database.pool, feed, file });
    if (report.rejected > 0) throw new Error(`${file}: ${report.rejected} rows rejected`);
  }
}
