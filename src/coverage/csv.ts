// The coverage matrix as a spreadsheet, for county staff: one row per cell, labels in Swedish or English.
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../exports/formats.js';
import type { Axis, Vocabulary } from '../vocabulary/vocabulary.js';
import type { CoverageChanges, Direction } from './changes.js';
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
    'Kommuner där regionalt stöd inte är känt (urval)',
    'Befolkning där stöd inte är känt (2016)',
    'Stödinsatser',
  ],
  en: [
    'Area',
    'Role',
    'Target group',
    'Status',
    'Municipalities without regional support',
    'Affected population (2016)',
    'Municipalities where regional support is not known (selection)',
    'Population where support is not known (2016)',
    'Support resources',
  ],
};

const statusLabels: Record<Language, Record<CoverageStatus, string>> = {
  sv: {
    covered: 'Täckt',
    partial: 'Delvis täckt',
    'partly-known': 'Känt stöd i vissa kommuner, övriga inte kända (urval)',
    'none-known': 'Inget regionalt stöd känt (urval)',
    'national-only': 'Endast nationellt stöd',
    gap: 'Saknas',
    'not-inventoried': 'Ej inventerat',
  },
  en: {
    covered: 'Covered',
    partial: 'Partly covered',
    'partly-known': 'Known support in some municipalities, the rest not known (selection)',
    'none-known': 'No regional support known (selection)',
    'national-only': 'National support only',
    gap: 'Gap',
    'not-inventoried': 'Not inventoried',
  },
};

/** Marks an entry that comes from after the county's inventory. */
const afterMark: Record<Language, string> = { sv: '(efter inventeringen)', en: '(after the inventory)' };

/**
 * UTF-8 with a byte order mark, so that Excel opens å, ä and ö right; CRLF line ends (RFC 4180); fields
 * separated by `delimiter` (`,` or `;`). Lists of names keep `; ` inside their cell either way: with `;` as
 * separator csv-stringify encloses such a cell in double quotes, so it stays one cell.
 */
export function coverageCsv(
  report: CoverageReport,
  vocabulary: Vocabulary,
  language: Language,
  delimiter = ',',
): string {
  const label = termLabel(vocabulary, language);
  const rows = report.cells.map((cell) => [
    label('areas', cell.area),
    label('roles', cell.role),
    label('groups', cell.group),
    statusLabels[language][cell.status],
    cell.lackingMunicipalities.map((m) => m.name).join('; '),
    cell.affectedPopulation,
    cell.notKnownMunicipalities.map((m) => m.name).join('; '),
    cell.notKnownPopulation,
    cell.resources.map((r) => (r.afterInventory ? `${r.name} ${afterMark[language]}` : r.name)).join('; '),
  ]);
  return spreadsheet(headings[language], rows, delimiter);
}

/** A vocabulary code's label in the language; the code itself if the vocabulary does not know it. */
const termLabel = (vocabulary: Vocabulary, language: Language) => (axis: Axis, code: string) => {
  const term = vocabulary.terms[axis].find((t) => t.code === code);
  if (!term) return code;
  return language === 'sv' ? term.labelSv : term.labelEn;
};

function spreadsheet(heading: string[], rows: (string | number)[][], delimiter: string): string {
  // Names come from anyone with a token: no cell may run as a formula in the spreadsheet that opens it.
  const safe = rows.map((row) =>
    row.map((value) => (typeof value === 'string' ? spreadsheetSafe(value) : value)),
  );
  return stringify([heading, ...safe], { bom: true, record_delimiter: 'windows', delimiter });
}

const changeHeadings = (language: Language, from: string, to: string): string[] =>
  language === 'sv'
    ? [
        'Våldsområde',
        'Roll',
        'Målgrupp',
        'Förändring',
        `Status ${from}`,
        `Status ${to}`,
        `Kommuner utan regionalt stöd ${from}`,
        `Kommuner utan regionalt stöd ${to}`,
        `Berörd befolkning (2016) ${from}`,
        `Berörd befolkning (2016) ${to}`,
        `Kommuner där stöd inte är känt ${from}`,
        `Kommuner där stöd inte är känt ${to}`,
        'Stödinsatser som tillkommit',
        'Stödinsatser som upphört',
      ]
    : [
        'Area',
        'Role',
        'Target group',
        'Change',
        `Status ${from}`,
        `Status ${to}`,
        `Municipalities without regional support ${from}`,
        `Municipalities without regional support ${to}`,
        `Affected population (2016) ${from}`,
        `Affected population (2016) ${to}`,
        `Municipalities where support is not known ${from}`,
        `Municipalities where support is not known ${to}`,
        'Support resources that started',
        'Support resources that stopped',
      ];

const directionLabels: Record<Language, Record<Direction, string>> = {
  sv: { improved: 'Förbättrad', worsened: 'Försämrad', changed: 'Förändrad' },
  en: { improved: 'Improved', worsened: 'Worsened', changed: 'Changed' },
};

/** The changes between two dates as a spreadsheet: one row per changed cell, the two dates side by side. */
export function coverageChangesCsv(
  changes: CoverageChanges,
  vocabulary: Vocabulary,
  language: Language,
  delimiter = ',',
): string {
  const label = termLabel(vocabulary, language);
  const names = (list: { name: string }[]) => list.map((item) => item.name).join('; ');
  const rows = changes.cells.map((cell) => [
    label('areas', cell.area),
    label('roles', cell.role),
    label('groups', cell.group),
    directionLabels[language][cell.direction],
    statusLabels[language][cell.from.status],
    statusLabels[language][cell.to.status],
    names(cell.from.lackingMunicipalities),
    names(cell.to.lackingMunicipalities),
    cell.from.affectedPopulation,
    cell.to.affectedPopulation,
    names(cell.from.notKnownMunicipalities),
    names(cell.to.notKnownMunicipalities),
    names(cell.started),
    names(cell.stopped),
  ]);
  return spreadsheet(changeHeadings(language, changes.from, changes.to), rows, delimiter);
}

export const changesCsvFilename = (changes: CoverageChanges) =>
  `stodkartan-coverage-changes-${changes.place.type}-${changes.place.code}-${changes.from}-${changes.to}.csv`;

/** A file name that says what and when, in ASCII so every client keeps it. */
export const csvFilename = (report: CoverageReport) =>
  `stodkartan-coverage-${report.place.type}-${report.place.code}-${report.at}.csv`;
