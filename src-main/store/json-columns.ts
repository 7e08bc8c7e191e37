/** Parses a JSON text column that holds a string array. */
export function parseStringArray(text: string | null): ReadonlyArray<string> {
  if (text === null) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.map(String) : [];
}

/** Parses a nullable JSON column. */
export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
