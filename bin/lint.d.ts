export function lint(base?: string): string[];
