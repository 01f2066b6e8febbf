// Vite's `?raw` imports (the gallery reads the element's JSDoc and stylesheet defaults from its source).
declare module '*?raw' {
  const source: string;
  export default source;
}
