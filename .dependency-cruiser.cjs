/**
 * The layers, checked by `npm run depcheck` (part of `npm test`). Data flows one way:
 *   sources -> parsers -> events/facts -> correlation -> detectors/audit -> report model -> views
 * Each layer below names what it may import besides itself (node built-ins and npm packages aside).
 * A forbidden import fails the build with the rule's name: move the shared piece down, never the import up.
 */
const layers = {
  model: { path: '^src/model/', may: [] },
  parsers: { path: '^parsers/', may: ['^src/model/'] },
  sources: { path: '^src/sources/', may: ['^parsers/', '^src/model/'] },
  // Secrets are scrubbed where they enter the facts (cell_mappings connections).
  facts: { path: '^src/facts/', may: ['^parsers/', '^src/model/', '^src/report/redact'] },
  correlate: { path: '^src/correlate/', may: ['^src/model/'] },
  signatures: { path: '^src/signatures/', may: ['^parsers/', '^src/model/'] },
  audit: { path: '^src/audit/', may: ['^src/facts/', '^src/model/'] },
  detectors: { path: '^src/detectors/', may: ['^src/facts/', '^src/correlate/', '^src/signatures/', '^parsers/', '^src/model/'] },
  registry: { path: '^src/registry/', may: ['^src/detectors/', '^src/audit/', '^src/signatures/', '^src/correlate/', '^src/model/', '^parsers/'] },
  report: { path: '^src/report/', may: ['^src/model/'] },
  views: { path: '^src/views/', may: ['^src/model/', '^src/report/'] },
  pipeline: {
    path: '^src/pipeline/',
    may: ['^src/sources/', '^parsers/', '^src/facts/', '^src/correlate/', '^src/signatures/', '^src/audit/', '^src/detectors/', '^src/registry/', '^src/model/', '^src/report/'],
  },
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other cannot be understood (or tested) one at a time.',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(layers).map(([name, l]) => ({
      name: `layer-${name}`,
      severity: 'error',
      comment: `${name} may import only: ${l.may.join(', ') || 'itself'}`,
      from: { path: l.path },
      to: { pathNot: [l.path, ...l.may, '^node_modules/'], dependencyTypesNot: ['core', 'npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown'] },
    })),
    {
      name: 'no-orphans-in-src',
      severity: 'error',
      comment: 'A module nothing imports is dead code (entry points excepted).',
      from: { orphan: true, path: '^(src|parsers)/', pathNot: ['^src/cli\\.ts$', '^src/pipeline/parse-worker\\.ts$', '\\.d\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // The compiled ESM imports name `.js`; the sources are `.ts`.
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
