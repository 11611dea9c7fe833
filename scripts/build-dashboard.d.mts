/** Bundles the dashboard into `outDir` (dist/dashboard by default). */
export function buildDashboard(outDir?: string): Promise<{ file: string; bytes: number }>;
