import type { FilterProblem } from "./filters.js";

/** The command line's wording of a refused filter; the bot translates the same problem codes itself. */
export function describeFilterProblem(problem: FilterProblem): string {
  switch (problem.code) {
    case "unknown_filter":
      return `unknown filter "${problem.name}": use status, region, role, from, to`;
    case "withdrawn":
      return "withdrawn cases are never exported";
    case "bad_value":
      return `${problem.name} cannot be "${problem.value}": use ${problem.allowed}`;
    case "bad_date":
      return `${problem.name} must be a date as YYYY-MM-DD, not "${problem.value}"`;
    case "empty_range":
      return `from (${problem.from}) is after to (${problem.to})`;
  }
}
