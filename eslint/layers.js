// Layering rules: one flat-config object per layer, each with `no-restricted-imports` naming the
// layers it may not import from. Spread into eslint.config.js after the base rules.
// Placeholder: the layer boundaries are filled in by the layering work (issue 18).
export default [];
