/**
 * A function that runs `make` on its first call and returns that result on every call. The element's schemas
 * (schemas.ts, session.ts) are declared as `once` factories, so evaluating the script-tag file builds none of them:
 * building them was most of the file's evaluation time, on pages where the widget may never open (CONTRIBUTING
 * "Builds and size"). Each schema is built once, on first use, and is the same schema, equally strict.
 *
 * Marked free of side effects, so a bundle drops the factories it never calls.
 */
/*#__NO_SIDE_EFFECTS__*/
export function once<T extends object>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}
