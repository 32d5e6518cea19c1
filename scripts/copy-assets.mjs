// The build compiles TypeScript only; the Fluent files are copied beside the compiled code that loads them.
import { cp } from "node:fs/promises";

await cp("src/locales", "dist/src/locales", { recursive: true });
