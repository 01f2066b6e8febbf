/**
 * A schema built on first use. The element's schemas (schemas.ts, session.ts) are declared with it, so evaluating
 * the script-tag file builds none of them: building them was most of the file's evaluation time, on pages where
 * the widget may never open (README "Builds and size"). The schema is the same, built once, equally strict.
 *
 * A lazy schema works anywhere a schema does: parsed directly, nested in another, or read by `z.infer`.
 *
 * Marked free of side effects, so a bundle drops the schemas it never uses (the host does not need HelloResponse).
 */
/*#__NO_SIDE_EFFECTS__*/
export function lazy<T extends object>(make: () => T): T {
  let real: T | undefined;
  const schema = () => (real ??= make());
  // `get` is all zod needs: its methods close over their own schema (`this` is not used), and it reaches a nested
  // schema only through properties (`_zod`).
  return new Proxy({} as T, { get: (_, key) => Reflect.get(schema(), key) });
}
