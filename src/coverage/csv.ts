// The coverage matrix as a spreadsheet, for county staff: one row per cell, labels in Swedish or English.
import { stringify } from 'csv-stringify/sync';
import type { Axis, Vocabulary } from '../vocabulary/vocabulary.js';
import type { CoverageReport, CoverageStatus } from './compute.js';

export const languages = ['sv', 'en'] as const;
export type Language = (typeof languages)[number];

const headings: Record<Language, string[]> = {
  sv: [
    'Våldsområde',
    'Roll',
    'Målgrupp',
    'Status',
    'Kommuner utan regionalt stöd',
    'Berörd befolkning (2016)',
    'Stödinsatser',
  ],
  en: [
    'Area',
    'Role',
    'Target group',
    'Status',
    'Municipalities without regional support',
    'Affected population (2016)',
    'Support resources',
  ],
};

const statusLabels: Record<Language, Record<CoverageStatus, string>> = {
  sv: {
    covered: 'Täckt',
    partial: 'Delvis täckt',
    'national-only': 'Endast nationellt stöd',
    gap: 'Saknas',
    unknown: 'Okänt (ej inventerat)',
  },
  en: {
    covered: 'Covered',
    partial: 'Partly covered',
    'national-only': 'National support only',
    gap: 'Gap',
    unknown: 'Unknown (not inventoried)',
  },
};

/** UTF-8 with a byte order mark, so that Excel opens å, ä and ö right; CRLF line ends (RFC 4180). */
export function coverageCsv(report: CoverageReport, vocabulary: Vocabulary, language: Language): string {
  const label = (axis: Axis, code: string) => {
    const term = vocabulary.terms[axis].find((t) => t.code === code);
    if (!term) return code;
    return language === 'sv' ? term.labelSv : term.labelEn;
  };
  const rows = report.cells.map((cell) => [
    label('areas', cell.area),
    label('roles', cell.role),
    label('groups', cell.group),
    statusLabels[language][cell.status],
    cell.lackingMunicipalities.map((m) => m.name).join('; '),
    cell.affectedPopulation,
    cell.resources.map((r) => r.name).join('; '),
  ]);
  return stringify([headings[language], ...rows], { bom: true, record_delimiter: 'windows' });
}

/** A file name that says what and when, in ASCII so every client keeps it. */
export const csvFilename = (report: CoverageReport) =>
  `stodkartan-coverage-${report.place.type}-${report.place.code}-${report.at}.csv`;
