/**
 * The JSON report, as written to `report.json`: the contract (schema/report-v1.schema.json).
 */
import type { Report } from '../report/model.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
